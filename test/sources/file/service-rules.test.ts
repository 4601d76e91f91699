import assert from 'node:assert/strict';
import { allEndpoints } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { parseServiceRules, subsetClusterName } from '../../../src/sources/file/service-rules';
import { assertConfigError } from './assert-config-error';

const endpoints = [
  createEndpoint({ host: '10.0.0.1', port: 8080, labels: { version: 'v1' } }),
  createEndpoint({ host: '10.0.0.2', port: 8080, labels: { version: 'v1' } }),
  createEndpoint({ host: '10.0.0.3', port: 8080, labels: { version: 'v2' }, priority: 2 }),
];

const RULES = `
subsets:
  v1: { version: v1 }
  v2: { version: v2 }
lbPolicy: { ringHash: { minRingSize: 64 } }
outlierDetection: { maxEjectionPercent: 50 }
circuitBreaker: { maxRequests: 100 }
routes:
  - match: { headers: { x-canary: "true" } }
    route: { cluster: v2 }
  - match: { headers: { cookie: { contains: "beta=1" } } }
    route: { cluster: orders }
  - route: { weighted: [ { cluster: v1, weight: 90 }, { cluster: v2, weight: 10 } ] }
    hashPolicy: [ { header: x-user } ]
`;

describe('parseServiceRules', () => {
  it('builds the listener, the service cluster and one cluster per subset', () => {
    const rules = parseServiceRules(RULES, 'orders', endpoints);
    assert.equal(rules.listener.name, 'orders');
    assert.deepEqual([...rules.clusters.keys()], ['orders', 'orders|v1', 'orders|v2']);
    assert.deepEqual(allEndpoints(rules.clusters.get('orders|v1')!).map((e) => e.address), ['10.0.0.1:8080', '10.0.0.2:8080']);
    const v2 = rules.clusters.get(subsetClusterName('orders', 'v2'))!;
    assert.deepEqual(v2.priorities.map((p) => p.priority), [0]);
    assert.deepEqual(v2.lbPolicy, { name: 'ring_hash', minRingSize: 64, maxRingSize: 8_388_608 });
    assert.equal(v2.outlierDetection?.maxEjectionPercent, 50);
    assert.deepEqual(v2.circuitBreaker, { maxRequests: 100 });
    // Registry priorities 0 and 2 are compacted rather than rejected.
    assert.equal(rules.clusters.get('orders')!.priorities.length, 2);
    const routes = rules.listener.routeTable!.virtualHosts[0]!.routes;
    assert.deepEqual(routes.map((r) => r.action), [
      { kind: 'cluster', cluster: 'orders|v2' },
      { kind: 'cluster', cluster: 'orders' },
      { kind: 'weightedClusters', clusters: [{ name: 'orders|v1', weight: 90 }, { name: 'orders|v2', weight: 10 }] },
    ]);
    assert.ok(Object.isFrozen(rules.listener) && Object.isFrozen(routes));
    assert.throws(() => (rules.clusters as Map<string, unknown>).set('x', {}), TypeError);
  });

  it('routes everything to the service cluster when the rules are empty', () => {
    const rules = parseServiceRules('', 'orders', endpoints);
    assert.deepEqual([...rules.clusters.keys()], ['orders']);
    assert.deepEqual(rules.listener.routeTable!.virtualHosts[0]!.routes[0]!.action, { kind: 'cluster', cluster: 'orders' });
    assert.deepEqual(rules.listener.routeTable!.virtualHosts[0]!.domains, ['orders', 'orders:*']);
  });

  it('reads JSON rules', () => {
    const rules = parseServiceRules(JSON.stringify({ subsets: { v2: { version: 'v2' } }, routes: [{ route: { cluster: 'v2' } }] }), 'orders', endpoints, { format: 'json' });
    assert.deepEqual([...rules.clusters.keys()], ['orders', 'orders|v2']);
  });

  it('rejects unknown subsets, keys and policies with the field path', () => {
    assertConfigError(() => parseServiceRules('routes: [ { route: { cluster: v3 } } ]', 'orders', endpoints), 'routes[0].route.cluster', /unknown subset "v3"/);
    assertConfigError(() => parseServiceRules('subset: {}', 'orders', endpoints), 'subset', /subsets/);
    assertConfigError(() => parseServiceRules('subsets: { orders: {} }', 'orders', endpoints), 'subsets.orders');
    assertConfigError(() => parseServiceRules('subsets: { v1: [1] }', 'orders', endpoints), 'subsets.v1');
    assertConfigError(() => parseServiceRules('lbPolicy: nope', 'orders', endpoints), 'lbPolicy');
    assertConfigError(() => parseServiceRules('endpoints: []', 'orders', endpoints), 'endpoints');
  });
});
