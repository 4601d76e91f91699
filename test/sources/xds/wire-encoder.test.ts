import * as assert from 'node:assert/strict';
import type { Root } from 'protobufjs';
import { TO_OBJECT_OPTIONS, decodeMessage, encodeMessage, messageNameOf, parseXdsProtos } from '../../../src/sources/xds/protos';
import { encodeSnapshot } from '../../../src/testing/xds-snapshot-encoder';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { MESH, forEachNestedAny } from './wire-fixture';


/** protobufjs' own path: generated fromObject and encoder. */
function reference(root: Root, name: string, value: object): Buffer {
  const t = root.lookupType(name);
  return Buffer.from(t.encode(t.fromObject(value as Record<string, unknown>)).finish());
}

/** Re-encodes a decoded message and every Any nested in it both ways; returns how many messages. */
function compare(root: Root, name: string, value: object): number {
  assert.deepStrictEqual(encodeMessage(name, value), reference(root, name, value), name);
  let n = 1;
  forEachNestedAny(root, value, (inner, bytes) => {
    n += compare(root, inner, decodeMessage<object>(inner, bytes));
  });
  return n;
}

describe('wire encoder (encodeMessage)', () => {
  const root = parseXdsProtos();

  it('writes the same bytes as protobufjs fromObject + encode for every resource and nested Any', () => {
    let messages = 0;
    for (const [typeUrl, byName] of encodeSnapshot(parseMeshConfig(MESH))) {
      const name = messageNameOf(typeUrl);
      for (const r of byName.values()) {
        const t = root.lookupType(name);
        messages += compare(root, name, t.toObject(t.decode(r.any.value), TO_OBJECT_OPTIONS));
      }
    }
    assert.ok(messages >= 7, `only ${messages} messages compared`);
  });

  it('writes requests with nodes, maps, Structs, enums as names or numbers, and nulls like protobufjs', () => {
    const node = {
      id: 'sidecar~10.0.0.1~a.ns~ns.svc.cluster.local',
      cluster: 'c',
      locality: { region: 'r', zone: 'z' },
      metadata: { fields: { ISTIO_VERSION: { string_value: '1.22' }, n: { number_value: 1.5 }, b: { bool_value: true }, z: { null_value: 'NULL_VALUE' } } },
      user_agent_name: 'sidecarless',
      user_agent_version: '0.1.0',
      client_features: ['envoy.lb.does_not_support_overprovisioning', 'xds.config.resource-in-sotw'],
    };
    compare(root, 'envoy.service.discovery.v3.DiscoveryRequest', {
      version_info: '7',
      node,
      resource_names: ['a', 'b'],
      type_url: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
      response_nonce: 'x',
      error_detail: { code: 3, message: 'bad', details: [] },
      unknown_field: 'ignored',
      resource_names_subscribe: null,
    });
    compare(root, 'envoy.service.discovery.v3.DeltaDiscoveryRequest', {
      node,
      type_url: 't',
      resource_names_subscribe: ['x'],
      initial_resource_versions: { x: '1', y: '2' },
    });
  });
});
