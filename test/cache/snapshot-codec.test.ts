import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_FORMAT_VERSION } from '../../src/cache/snapshot-codec';
import { ErrorCode, MeshError } from '../../src/errors';
import type { MeshSnapshot } from '../../src/model/mesh-snapshot';
import { parseMeshConfig } from '../../src/sources/file/mesh-config';

const RICH = `
services:
  s:
    maxStreamDurationMs: 100
    retries: { retryOn: [unavailable] }
    routes:
      - name: r
        match:
          regex: "/a/.*"
          runtimeFraction: 50
          headers:
            x-range: { range: { start: -9223372036854775808, end: 9223372036854775807 } }
            x-p: { present: false, invert: true }
            x-s: { suffix: z, ignoreCase: true }
            x-r: { regex: "a+" }
          query: { q: { present: true }, r: v }
        route: { weighted: [ { cluster: a, weight: 3 }, { cluster: b, weight: 1 } ] }
        hashPolicy: [ { header: h, regexRewrite: { regex: a, substitution: b } }, { cookie: c, terminal: true }, { queryParameter: q }, { channelId: true } ]
        timeoutMs: 5
        maxStreamDurationMs: 6
        retries: { retryOn: 5xx, perTryTimeoutMs: 7 }
      - match: { path: /x, caseSensitive: false }
        route: { clusterHeader: x-c }
      - match: { pathSeparatedPrefix: /y }
        route: { nonForwarding: true }
routeTables:
  rt: { virtualHosts: [ { name: v, domains: ["*"], routes: [ { route: { cluster: a } } ] } ] }
listeners:
  l: { routeTable: rt, maxStreamDurationMs: 9 }
clusters:
  a:
    lbPolicy: { ringHash: { requestHashHeader: x } }
    outlierDetection: { failurePercentageEjection: {} }
    dropOverloads: [ { category: lb, perMillion: 3 } ]
    localityWeighting: { mode: envoy }
    localityWeights: [ { region: r, weight: 4 } ]
    endpoints:
      - { host: "::1", port: 1, weight: 2, health: HEALTHY, locality: { region: r }, labels: { v: "1" }, hashKey: k }
      - { host: 10.0.0.1, port: 2, priority: 1, health: DEGRADED }
  b: { lbPolicy: { maglev: {} }, outlierDetection: { successRateEjection: false } }
  c: { lbPolicy: { pickFirst: { shuffleAddressList: true } } }
  d: { lbPolicy: { leastRequest: { choiceCount: 4 } } }
  e: { lbPolicy: weighted_round_robin }
  f: { lbPolicy: random }
`;

function corruptField(text: string): string | undefined {
  try {
    decodeSnapshot(text);
  } catch (err) {
    assert.ok(err instanceof MeshError);
    assert.equal(err.code, ErrorCode.CACHE_CORRUPT);
    return err.field;
  }
  assert.fail('expected MESH_ERR_CACHE_CORRUPT');
}

function mutate(snapshot: MeshSnapshot, edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(encodeSnapshot(snapshot, 'file:x')) as Record<string, any>;
  edit(doc);
  return JSON.stringify(doc);
}

describe('snapshot codec', () => {
  const rich = parseMeshConfig(RICH);

  it('round-trips every model field, including bigint range bounds', () => {
    const savedAt = new Date('2024-01-02T03:04:05.000Z');
    const text = encodeSnapshot(rich, 'file:/etc/mesh.yaml', savedAt);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.equal(doc.formatVersion, SNAPSHOT_FORMAT_VERSION);
    assert.match(text, /"start":"-9223372036854775808"/);
    const decoded = decodeSnapshot(text);
    assert.equal(decoded.sourceKey, 'file:/etc/mesh.yaml');
    assert.deepEqual(decoded.savedAt, savedAt);
    assert.deepEqual(decoded.snapshot, rich);
    const header = decoded.snapshot.listeners.get('s')!.routeTable!.virtualHosts[0]!.routes[0]!.match.headers[0]!;
    assert.deepEqual(header.match, { kind: 'range', start: -(2n ** 63n), end: 2n ** 63n - 1n });
  });

  it('round-trips the sample mesh file', () => {
    const sample = parseMeshConfig(readFileSync(join(__dirname, '../../../examples/mesh.yaml'), 'utf8'));
    assert.deepEqual(decodeSnapshot(encodeSnapshot(sample, 'k')).snapshot, sample);
  });

  it('decodes into frozen snapshots whose maps refuse writes', () => {
    const { snapshot } = decodeSnapshot(encodeSnapshot(rich, 'k'));
    assert.ok(Object.isFrozen(snapshot));
    assert.throws(() => (snapshot.clusters as Map<string, unknown>).set('z', {}), TypeError);
    const endpoint = snapshot.clusters.get('a')!.priorities[0]!.localities[0]!.endpoints[0]!;
    assert.ok(Object.isFrozen(endpoint) && Object.isFrozen(endpoint.labels));
    assert.ok(Object.isFrozen(snapshot.listeners.get('s')!.routeTable!.virtualHosts[0]!.routes));
  });

  it('reports anything wrong as MESH_ERR_CACHE_CORRUPT naming the field', () => {
    assert.equal(corruptField('{not json'), undefined);
    assert.equal(corruptField('[]'), 'format');
    assert.equal(corruptField(mutate(rich, (d) => (d.formatVersion = 99))), 'formatVersion');
    assert.equal(corruptField(mutate(rich, (d) => delete d.version)), '.version');
    assert.equal(corruptField(mutate(rich, (d) => (d.extra = 1))), '.extra');
    assert.equal(corruptField(mutate(rich, (d) => (d.savedAt = 'yesterday'))), 'savedAt');
    assert.equal(corruptField(mutate(rich, (d) => (d.clusters[0].lbPolicy.name = 'fastest'))), '.clusters[0].lbPolicy.name');
    assert.equal(corruptField(mutate(rich, (d) => (d.clusters[0].lbPolicy.minRingSize = '1'))), '.clusters[0].lbPolicy.minRingSize');
    assert.equal(
      corruptField(mutate(rich, (d) => (d.clusters[0].priorities[0].localities[0].endpoints[0].port = 0))),
      '.clusters[0].priorities[0].localities[0].endpoints[0].port',
    );
    assert.equal(
      corruptField(mutate(rich, (d) => (d.clusters[0].priorities[0].localities[0].endpoints[0].address = '1.2.3.4:5'))),
      '.clusters[0].priorities[0].localities[0].endpoints[0].address',
    );
    assert.equal(corruptField(mutate(rich, (d) => (d.clusters[0].priorities[1].priority = 5))), '.clusters[0].priorities[1].priority');
    assert.equal(corruptField(mutate(rich, (d) => d.clusters.push(d.clusters[1]))), 'clusters[6].name');
    const route = '.listeners[0].routeTable.virtualHosts[0].routes[0]';
    assert.equal(corruptField(mutate(rich, (d) => (d.listeners[0].routeTable.virtualHosts[0].routes[0].match.headers[0].match.start = 'x'))), `${route}.match.headers[0].match.start`);
    assert.equal(corruptField(mutate(rich, (d) => (d.listeners[0].routeTable.virtualHosts[0].routes[0].action.kind = 'redirect'))), `${route}.action.kind`);
    assert.equal(corruptField(mutate(rich, (d) => (d.listeners[0].routeTable.virtualHosts[0].routes[0].hashPolicies = {}))), `${route}.hashPolicies`);
    assert.equal(corruptField(mutate(rich, (d) => (d.listeners[0].routeTable.virtualHosts[0].routes[0].match.caseSensitive = 'yes'))), `${route}.match.caseSensitive`);
  });
});
