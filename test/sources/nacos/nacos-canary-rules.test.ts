import assert from 'node:assert/strict';
import { ErrorCode, type MeshError } from '../../../src/errors';
import { allEndpoints, type Cluster } from '../../../src/model/cluster';
import type { MeshSnapshot } from '../../../src/model/mesh-snapshot';
import { NacosSource } from '../../../src/sources/nacos/nacos-source';
import type { NacosServer } from '../../../src/testing/nacos-server';
import { next, startServer } from './nacos-test-kit';

const KEY = 'nacos://public/DEFAULT_GROUP/orders';
const RULE_90_10 = `
subsets:
  v1: { version: v1 }
  v2: { version: v2 }
outlierDetection: { maxEjectionPercent: 50 }
routes:
  - match: { headers: { x-canary: "true" } }
    route: { cluster: v2 }
  - route: { weighted: [ { cluster: v1, weight: 90 }, { cluster: v2, weight: 10 } ] }
`;

describe('NacosSource canary rules from Nacos config (<service>.mesh.yaml, group SIDECARLESS)', () => {
  let srv: NacosServer;
  let src: NacosSource;
  beforeEach(async () => {
    srv = await startServer();
  });
  afterEach(async () => {
    await src?.close();
    await srv.close();
  });
  const hosts = (snap: MeshSnapshot, cluster: string) =>
    allEndpoints(snap.clusters.get(cluster) as Cluster)
      .map((e) => e.address)
      .sort();
  const changed = (test: (s: MeshSnapshot) => boolean) => next<[MeshSnapshot]>(src, 'changed', test);

  it('splits a mixed Java/Node service by version, and applies rule changes live; a bad rule is rejected and the last good one keeps serving', async () => {
    // A Java (Dubbo/Spring Cloud) app registered on its own, v1.
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 20880, metadata: { version: 'v1', 'dubbo.metadata.revision': 'abc' } });
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.2', port: 20880, metadata: { version: 'v1' } });
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: RULE_90_10, type: 'yaml' });
    // The Node app registers itself as v2 and watches the same service.
    src = new NacosSource({ servers: [srv.serverEntry], register: { service: 'orders', ip: '127.0.0.1', port: 8080, metadata: { version: 'v2' } } });
    src.watch('orders');
    const ready = changed((s) => s.clusters.has(`${KEY}|v2`) && hosts(s, `${KEY}|v2`).length === 1 && hosts(s, KEY).length === 3);
    await src.start();
    const [snap] = await ready;

    assert.deepEqual(hosts(snap, `${KEY}|v1`), ['10.0.0.1:20880', '10.0.0.2:20880']);
    assert.deepEqual(hosts(snap, `${KEY}|v2`), ['127.0.0.1:8080']);
    assert.equal(snap.clusters.get(`${KEY}|v2`)!.outlierDetection?.maxEjectionPercent, 50);
    const routes = snap.listeners.get(KEY)!.routeTable!.virtualHosts[0]!.routes;
    assert.deepEqual(routes[0]!.action, { kind: 'cluster', cluster: `${KEY}|v2` });
    assert.equal(routes[0]!.match.headers[0]!.name, 'x-canary');
    assert.deepEqual(routes[1]!.action, {
      kind: 'weightedClusters',
      clusters: [
        { name: `${KEY}|v1`, weight: 90 },
        { name: `${KEY}|v2`, weight: 10 },
      ],
    });
    assert.deepEqual(snap.listeners.get(KEY)!.routeTable!.virtualHosts[0]!.domains, ['*']);

    // Live change: 50/50.
    const halved = changed((s) => {
      const a = s.listeners.get(KEY)!.routeTable!.virtualHosts[0]!.routes[0]!.action;
      return a.kind === 'weightedClusters' && a.clusters[0]!.weight === 50;
    });
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: 'subsets: { v1: { version: v1 }, v2: { version: v2 } }\nroutes:\n  - route: { weighted: [ { cluster: v1, weight: 50 }, { cluster: v2, weight: 50 } ] }\n' });
    const [after] = await halved;

    // A rule naming an unknown subset is rejected; the 50/50 rule keeps serving.
    const rejected = next<[MeshError]>(src, 'rejected');
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: 'routes:\n  - route: { cluster: v3 }\n' });
    const [err] = await rejected;
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.match(err.field ?? '', /routes\[0\]/);
    assert.equal(src.snapshot, after);

    // New instances keep flowing through the accepted rule.
    const more = changed((s) => hosts(s, `${KEY}|v1`).length === 3);
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.3', port: 20880, metadata: { version: 'v1' } });
    await more;

    // Removing the rule routes everything to the whole service again.
    const plain = changed((s) => !s.clusters.has(`${KEY}|v1`));
    srv.removeConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS' });
    const [last] = await plain;
    assert.deepEqual(last.listeners.get(KEY)!.routeTable!.virtualHosts[0]!.routes[0]!.action, { kind: 'cluster', cluster: KEY });
  });

  it('rejects a rule that is not YAML with INVALID_CONFIG and still serves the instances', async () => {
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: 'routes: [ {' });
    src = new NacosSource({ servers: [srv.serverEntry] });
    src.watch('orders');
    const rejected = next<[MeshError]>(src, 'rejected');
    const served = changed((s) => s.clusters.has(KEY));
    await src.start();
    assert.equal((await rejected)[0].code, ErrorCode.INVALID_CONFIG);
    await served;
  });
});
