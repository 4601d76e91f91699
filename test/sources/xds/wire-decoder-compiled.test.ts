import * as assert from 'node:assert/strict';
import { Writer } from 'protobufjs';
import { TO_OBJECT_OPTIONS, decodeMessage, encodeMessage, messageNameOf, parseXdsProtos } from '../../../src/sources/xds/protos';
import { encodeSnapshot } from '../../../src/testing/xds-snapshot-encoder';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { MESH, forEachNestedAny } from './wire-fixture';

/** More decodes than it takes for a type to get its compiled decoder (HOT_DECODES in wire-decoder.ts). */
const HOT = 100;

describe('wire decoder once a type is hot (compiled decoders)', () => {
  const root = parseXdsProtos();
  const reference = (name: string, bytes: Uint8Array): unknown => {
    const t = root.lookupType(name);
    return t.toObject(t.decode(bytes), TO_OBJECT_OPTIONS);
  };
  /** Our result on the first decode and after the type is hot must both be protobufjs'. */
  const compareHot = (name: string, bytes: Uint8Array): unknown => {
    const expected = reference(name, bytes);
    assert.deepStrictEqual(decodeMessage(name, bytes), expected, `${name}, first decode`);
    for (let i = 0; i < HOT; i++) decodeMessage(name, bytes);
    const hot = decodeMessage<unknown>(name, bytes);
    assert.deepStrictEqual(hot, expected, `${name}, hot`);
    return hot;
  };

  it('decodes every resource and nested Any as protobufjs does', () => {
    let messages = 0;
    for (const [typeUrl, byName] of encodeSnapshot(parseMeshConfig(MESH))) {
      for (const r of byName.values()) {
        const visit = (name: string, bytes: Uint8Array): void => {
          messages++;
          forEachNestedAny(root, compareHot(name, bytes), visit);
        };
        visit(messageNameOf(typeUrl), r.any.value);
      }
    }
    assert.ok(messages >= 7);
  });

  it('leaves packed and unpacked lists, maps, unknown fields and mismatched wire types to the generic path, as protobufjs', () => {
    const retry = 'envoy.config.route.v3.RetryPolicy';
    const w = Writer.create();
    w.uint32((1 << 3) | 2).string('5xx'); // retry_on
    w.uint32((7 << 3) | 2).fork().uint32(503).uint32(504).ldelim(); // retriable_status_codes, packed
    w.uint32((7 << 3) | 0).uint32(429); // … and unpacked
    w.uint32((999 << 3) | 5).fixed32(1); // unknown
    w.uint32((1 << 3) | 2).string('reset'); // retry_on again: the last one wins
    compareHot(retry, w.finish());

    const cla = 'envoy.config.endpoint.v3.ClusterLoadAssignment';
    const m = Writer.create();
    m.uint32((1 << 3) | 2).string('c'); // cluster_name
    m.uint32((2 << 3) | 2).fork(); // endpoints[0]
    m.uint32((5 << 3) | 0).uint32(2); // priority
    m.uint32((2 << 3) | 2).fork(); // lb_endpoints[0]
    m.uint32((6 << 3) | 0).uint32(7); // health_status: an unknown enum number stays a number
    m.uint32((3 << 3) | 2).fork(); // metadata
    m.uint32((1 << 3) | 2).fork().uint32(10).string('istio').uint32(18).fork().ldelim().ldelim(); // filter_metadata map entry
    m.ldelim();
    m.ldelim();
    m.ldelim();
    compareHot(cla, m.finish());

    // A string field sent with the wrong wire type: read as declared by both, so the same bytes.
    const status = 'google.rpc.Status';
    const s = Writer.create();
    s.uint32((1 << 3) | 0).uint32(7); // code
    s.uint32((2 << 3) | 2).string('ok'); // message
    compareHot(status, s.finish());
  });

  it('keeps the nesting limit and errors on truncated input once compiled', () => {
    const value = 'google.protobuf.Value';
    let v: object = { stringValue: 'leaf' };
    for (let i = 0; i < 60; i++) v = { listValue: { values: [v] } }; // 121 messages deep
    const deep = encodeMessage(value, v);
    const shallow = encodeMessage(value, { listValue: { values: [{ numberValue: 1 }] } });
    compareHot(value, shallow);
    assert.throws(() => decodeMessage(value, deep), /maximum nesting depth exceeded/);
    assert.throws(() => decodeMessage(value, shallow.subarray(0, shallow.length - 1)), RangeError);
  });
});
