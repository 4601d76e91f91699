import * as assert from 'node:assert/strict';
import type { Root } from 'protobufjs';
import { TO_OBJECT_OPTIONS, decodeMessage, encodeMessage, messageNameOf, parseXdsProtos } from '../../../src/sources/xds/protos';
import { encodeSnapshot } from '../../../src/testing/xds-snapshot-encoder';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { MESH, forEachNestedAny } from './wire-fixture';


/** protobufjs' own path: generated decoder, message instance, generated converter. */
function reference(root: Root, name: string, bytes: Uint8Array): unknown {
  const t = root.lookupType(name);
  return t.toObject(t.decode(bytes), TO_OBJECT_OPTIONS);
}

/** Compares both decoders on `bytes` and on every Any nested in the result; returns how many messages. */
function compare(root: Root, name: string, bytes: Uint8Array): number {
  const ours = decodeMessage<unknown>(name, bytes);
  assert.deepStrictEqual(ours, reference(root, name, bytes), name);
  let n = 1;
  forEachNestedAny(root, ours, (inner, bytes) => {
    n += compare(root, inner, bytes);
  });
  return n;
}

describe('wire decoder (decodeMessage)', () => {
  const root = parseXdsProtos();

  it('returns exactly what protobufjs decode + toObject return, for every resource and nested Any', () => {
    let messages = 0;
    for (const [typeUrl, byName] of encodeSnapshot(parseMeshConfig(MESH))) {
      for (const r of byName.values()) messages += compare(root, messageNameOf(typeUrl), r.any.value);
    }
    assert.ok(messages >= 7, `only ${messages} messages compared`);
  });

  it('handles 64-bit ints, enums, maps, oneofs, packed and unknown fields like protobufjs', () => {
    const name = 'envoy.service.discovery.v3.DiscoveryRequest';
    const request = encodeMessage(name, {
      version_info: '7',
      node: { id: 'n', cluster: 'c', locality: { region: 'r' } },
      resource_names: ['a', 'b'],
      type_url: 't',
      response_nonce: 'x',
      error_detail: { code: 3, message: 'bad' },
    });
    compare(root, name, request);
    // Unknown field 1000 (varint) appended: skipped by both.
    const withUnknown = Buffer.concat([request, Buffer.from([0xc0, 0x3e, 0x05])]);
    compare(root, name, withUnknown);
    // Truncated input is an error, not a partial object.
    assert.throws(() => decodeMessage(name, request.subarray(0, request.length - 1)));
  });
});
