import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_DEFAULTS, OUTLIER_DETECTION_DEFAULTS, allEndpoints } from '../../../src/model/cluster';
import { routeTableOf } from '../../../src/model/mesh-snapshot';
import type { Route, RouteTable } from '../../../src/model/route-table';
import { meshConfigToSnapshot, parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { assertConfigError } from './assert-config-error';

function routesOf(text: string, service = 's'): readonly Route[] {
  const snap = parseMeshConfig(text);
  return routeTableOf(snap, snap.listeners.get(service)!)!.virtualHosts[0]!.routes;
}

const CLUSTER_C = 'clusters: { c: { endpoints: ["10.0.0.1:80"] }, d: {} }\n';

describe('parseMeshConfig', () => {
  it('parses the sample examples/mesh.yaml', () => {
    const path = join(__dirname, '../../../../examples/mesh.yaml');
    const snap = parseMeshConfig(readFileSync(path, 'utf8'), { source: path });
    assert.deepEqual([...snap.listeners.keys()], ['reviews', 'ratings']);
    assert.deepEqual([...snap.clusters.keys()], ['reviews-all', 'reviews-v1', 'reviews-v2', 'ratings']);
    assert.deepEqual(
      allEndpoints(snap.clusters.get('reviews-v2')!).map((e) => e.address),
      ['127.0.0.1:9083'],
    );
    assert.equal(snap.clusters.get('ratings')!.priorities.length, 2);
  });

  it('turns a service into a listener with an inline route table and default domains', () => {
    const snap = parseMeshConfig(`services: { reviews: {} }\nclusters: { reviews: { endpoints: ["10.0.0.1:9080"] } }`);
    const listener = snap.listeners.get('reviews')!;
    assert.equal(listener.name, 'reviews');
    const table: RouteTable = listener.routeTable!;
    assert.equal(table.name, 'reviews');
    assert.deepEqual(table.virtualHosts[0]!.domains, ['reviews', 'reviews:*']);
    assert.deepEqual(table.virtualHosts[0]!.routes, [
      {
        match: { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [], queryParameters: [] },
        action: { kind: 'cluster', cluster: 'reviews' },
        hashPolicies: [],
      },
    ]);
    assert.equal(snap.routeTables.size, 0);
  });

  it('fills every cluster default', () => {
    const snap = parseMeshConfig(`clusters: { a: { endpoints: [ { host: 10.0.0.1, port: 80 } ] } }`);
    const a = snap.clusters.get('a')!;
    assert.deepEqual(a.lbPolicy, CLUSTER_DEFAULTS.lbPolicy);
    assert.deepEqual(a.localityWeighting, CLUSTER_DEFAULTS.localityWeighting);
    assert.deepEqual(a.circuitBreaker, { maxRequests: 1024 });
    assert.deepEqual(a.dropOverloads, []);
    assert.equal(a.outlierDetection, undefined);
    const e = a.priorities[0]!.localities[0]!.endpoints[0]!;
    assert.deepEqual(
      { weight: e.weight, health: e.health, priority: e.priority, labels: e.labels, address: e.address },
      { weight: 1, health: 'UNKNOWN', priority: 0, labels: {}, address: '10.0.0.1:80' },
    );
    assert.deepEqual(a.priorities[0]!.localities[0]!.locality, { region: '', zone: '', subZone: '' });
    assert.equal(a.priorities[0]!.localities[0]!.weight, 1);
  });

  it('reads every endpoint field and groups by priority and locality', () => {
    const snap = parseMeshConfig(`
clusters:
  a:
    localityWeights: [ { region: r1, zone: z1, weight: 3 } ]
    endpoints:
      - { host: 10.0.0.1, port: 80, weight: 5, health: healthy, locality: { region: r1, zone: z1, subZone: s }, labels: { version: 2 }, hashKey: k1 }
      - { host: "::1", port: 81, health: DRAINING, priority: 1 }
      - { host: 10.0.0.3, port: 82, locality: { region: r1, zone: z1 } }
      - "[::2]:83"
`);
    const a = snap.clusters.get('a')!;
    assert.equal(a.priorities.length, 2);
    const p0 = a.priorities[0]!;
    assert.deepEqual(p0.localities.map((l) => [l.locality.subZone, l.weight, l.endpoints.map((e) => e.address)]), [
      ['s', 1, ['10.0.0.1:80']],
      ['', 3, ['10.0.0.3:82']],
      ['', 1, ['[::2]:83']],
    ]);
    const e0 = p0.localities[0]!.endpoints[0]!;
    assert.equal(e0.weight, 5);
    assert.equal(e0.health, 'HEALTHY');
    assert.deepEqual(e0.labels, { version: '2' });
    assert.equal(e0.hashKey, 'k1');
    const e1 = a.priorities[1]!.localities[0]!.endpoints[0]!;
    assert.deepEqual([e1.address, e1.health, e1.priority], ['[::1]:81', 'DRAINING', 1]);
  });

  it('reads every LB policy with its defaults', () => {
    const snap = parseMeshConfig(`
clusters:
  rr: { lbPolicy: round_robin }
  wrr: { lbPolicy: weighted_round_robin }
  rnd: { lbPolicy: { random: {} } }
  lr: { lbPolicy: least_request }
  lr3: { lbPolicy: { leastRequest: { choiceCount: 3 } } }
  rh: { lbPolicy: ringHash }
  rh2: { lbPolicy: { ring_hash: { minRingSize: 16, maxRingSize: 4096, requestHashHeader: X-User } } }
  mg: { lbPolicy: maglev }
  mg2: { lbPolicy: { maglev: { tableSize: 251 } } }
  pf: { lbPolicy: pickFirst }
  pf2: { lbPolicy: { pickFirst: { shuffleAddressList: true } } }
`);
    const policy = (n: string) => snap.clusters.get(n)!.lbPolicy;
    assert.deepEqual(policy('rr'), { name: 'round_robin' });
    assert.deepEqual(policy('wrr'), { name: 'weighted_round_robin' });
    assert.deepEqual(policy('rnd'), { name: 'random' });
    assert.deepEqual(policy('lr'), { name: 'least_request', choiceCount: 2 });
    assert.deepEqual(policy('lr3'), { name: 'least_request', choiceCount: 3 });
    assert.deepEqual(policy('rh'), { name: 'ring_hash', minRingSize: 1024, maxRingSize: 8_388_608 });
    assert.deepEqual(policy('rh2'), { name: 'ring_hash', minRingSize: 16, maxRingSize: 4096, requestHashHeader: 'x-user' });
    assert.deepEqual(policy('mg'), { name: 'maglev', tableSize: 65_537 });
    assert.deepEqual(policy('mg2'), { name: 'maglev', tableSize: 251 });
    assert.deepEqual(policy('pf'), { name: 'pick_first', shuffleAddressList: false });
    assert.deepEqual(policy('pf2'), { name: 'pick_first', shuffleAddressList: true });
  });

  it('fills outlier detection with A50 defaults', () => {
    const snap = parseMeshConfig(`
clusters:
  a: { outlierDetection: {} }
  b:
    outlierDetection:
      intervalMs: 1000
      baseEjectionTimeMs: 400000
      maxEjectionPercent: 30
      successRateEjection: false
      failurePercentageEjection: { threshold: 50 }
  c:
    outlierDetection:
      maxEjectionTimeMs: 5000
      successRateEjection: { stdevFactor: 1000, enforcementPercentage: 50, minimumHosts: 3, requestVolume: 10 }
      failurePercentageEjection: { threshold: 60, enforcementPercentage: 20, minimumHosts: 2, requestVolume: 7 }
`);
    const d = OUTLIER_DETECTION_DEFAULTS;
    assert.deepEqual(snap.clusters.get('a')!.outlierDetection, {
      intervalMs: d.intervalMs,
      baseEjectionTimeMs: d.baseEjectionTimeMs,
      maxEjectionTimeMs: d.maxEjectionTimeMs,
      maxEjectionPercent: d.maxEjectionPercent,
      successRateEjection: { ...d.successRate },
    });
    assert.deepEqual(snap.clusters.get('b')!.outlierDetection, {
      intervalMs: 1000,
      baseEjectionTimeMs: 400_000,
      maxEjectionTimeMs: 400_000,
      maxEjectionPercent: 30,
      failurePercentageEjection: { threshold: 50, enforcementPercentage: 100, minimumHosts: 5, requestVolume: 50 },
    });
    assert.deepEqual(snap.clusters.get('c')!.outlierDetection, {
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionTimeMs: 5000,
      maxEjectionPercent: 10,
      successRateEjection: { stdevFactor: 1000, enforcementPercentage: 50, minimumHosts: 3, requestVolume: 10 },
      failurePercentageEjection: { threshold: 60, enforcementPercentage: 20, minimumHosts: 2, requestVolume: 7 },
    });
  });

  it('reads circuit breaker, drop overloads and locality weighting', () => {
    const a = parseMeshConfig(`
clusters:
  a:
    circuitBreaker: { maxRequests: 7 }
    dropOverloads: [ { category: lb, percent: 5 }, { category: throttle, perMillion: 12 } ]
    localityWeighting: { mode: envoy, overprovisioningFactor: 200 }
`).clusters.get('a')!;
    assert.deepEqual(a.circuitBreaker, { maxRequests: 7 });
    assert.deepEqual(a.dropOverloads, [
      { category: 'lb', dropPerMillion: 50_000 },
      { category: 'throttle', dropPerMillion: 12 },
    ]);
    assert.deepEqual(a.localityWeighting, { mode: 'envoy', overprovisioningFactor: 200 });
  });

  it('builds subset clusters that inherit the parent policy unless overridden', () => {
    const snap = parseMeshConfig(`
clusters:
  all:
    lbPolicy: random
    circuitBreaker: { maxRequests: 5 }
    endpoints:
      - { host: 10.0.0.1, port: 80, labels: { version: v1 } }
      - { host: 10.0.0.2, port: 80, priority: 1, labels: { version: v2, zone: a } }
      - { host: 10.0.0.3, port: 80, labels: { version: v2 } }
  v2: { from: all, subset: { version: v2 } }
  v2a: { from: all, subset: { version: v2, zone: a }, lbPolicy: round_robin }
  none: { from: all, subset: { version: v9 } }
`);
    const v2 = snap.clusters.get('v2')!;
    assert.deepEqual(allEndpoints(v2).map((e) => e.address), ['10.0.0.3:80', '10.0.0.2:80']);
    assert.deepEqual(v2.lbPolicy, { name: 'random' });
    assert.deepEqual(v2.circuitBreaker, { maxRequests: 5 });
    const v2a = snap.clusters.get('v2a')!;
    // Only a priority-1 endpoint matches: priorities are renumbered from 0.
    assert.deepEqual(v2a.priorities.map((p) => p.priority), [0]);
    assert.deepEqual(v2a.lbPolicy, { name: 'round_robin' });
    assert.deepEqual(snap.clusters.get('none')!.priorities, []);
  });

  it('reads every route match field', () => {
    const routes = routesOf(`
services:
  s:
    routes:
      - match: { path: /exact, caseSensitive: false }
        route: { cluster: c }
      - match: { regex: "/api/v[0-9]+/.*" }
        route: { cluster: c }
      - match: { pathSeparatedPrefix: /api/dev, runtimeFraction: 12.5 }
        route: { cluster: c }
      - match:
          prefix: ""
          headers:
            x-a: v
            X-B: { prefix: pre, ignoreCase: true }
            x-c: { suffix: suf }
            x-d: { contains: mid, invert: true }
            x-e: { regex: "a+b" }
            x-f: { range: { start: -9223372036854775808, end: "9223372036854775807" } }
            x-g: { present: false }
            x-h: { exact: "", treatMissingAsEmpty: true }
            x-i: {}
          query:
            q1: v
            q2: { prefix: p }
            q3: { present: true }
        route: { cluster: c }
${CLUSTER_C}`);
    assert.deepEqual(routes[0]!.match.path, { kind: 'path', value: '/exact' });
    assert.equal(routes[0]!.match.caseSensitive, false);
    assert.deepEqual(routes[1]!.match.path, { kind: 'regex', regex: '/api/v[0-9]+/.*' });
    assert.deepEqual(routes[2]!.match.path, { kind: 'pathSeparatedPrefix', value: '/api/dev' });
    assert.equal(routes[2]!.match.runtimeFractionPerMillion, 125_000);
    assert.equal(routes[0]!.match.runtimeFractionPerMillion, undefined);
    const m = routes[3]!.match;
    assert.deepEqual(m.path, { kind: 'prefix', value: '' });
    const h = Object.fromEntries(m.headers.map((x) => [x.name, x]));
    assert.deepEqual(h['x-a'], { name: 'x-a', match: { kind: 'string', matcher: { kind: 'exact', value: 'v', ignoreCase: false } }, invert: false, treatMissingAsEmpty: false });
    assert.deepEqual(h['x-b']!.match, { kind: 'string', matcher: { kind: 'prefix', value: 'pre', ignoreCase: true } });
    assert.deepEqual(h['x-c']!.match, { kind: 'string', matcher: { kind: 'suffix', value: 'suf', ignoreCase: false } });
    assert.equal(h['x-d']!.invert, true);
    assert.deepEqual(h['x-e']!.match, { kind: 'string', matcher: { kind: 'regex', regex: 'a+b' } });
    assert.deepEqual(h['x-f']!.match, { kind: 'range', start: -(2n ** 63n), end: 2n ** 63n - 1n });
    assert.deepEqual(h['x-g']!.match, { kind: 'present', present: false });
    assert.equal(h['x-h']!.treatMissingAsEmpty, true);
    assert.deepEqual(h['x-i']!.match, { kind: 'present', present: true });
    assert.deepEqual(m.queryParameters, [
      { name: 'q1', matcher: { kind: 'exact', value: 'v', ignoreCase: false } },
      { name: 'q2', matcher: { kind: 'prefix', value: 'p', ignoreCase: false } },
      { name: 'q3' },
    ]);
  });

  it('reads actions, hash policies, timeouts and retries', () => {
    const routes = routesOf(`
services:
  s:
    retries: { retryOn: unavailable }
    maxStreamDurationMs: 9000
    routes:
      - name: w
        route: { weighted: [ { cluster: c, weight: 90 }, { cluster: d, weight: 0 }, { cluster: d, weight: 10 } ] }
        hashPolicy:
          - { header: X-User, regexRewrite: { regex: "^(.*)-.*$", substitution: "\\\\1" } }
          - { cookie: session, terminal: true }
          - { queryParameter: u }
          - { channelId: true }
        timeoutMs: 2000
        maxStreamDurationMs: 3000
        retries: { retryOn: [5xx, retriable-status-codes], numRetries: 3, retriableStatusCodes: [503], baseIntervalMs: 10, maxIntervalMs: 50, perTryTimeoutMs: 400 }
      - route: { clusterHeader: X-Cluster }
        retries: { retryOn: "5xx, connect-failure" }
      - route: { nonForwarding: true }
${CLUSTER_C}`);
    const snap = parseMeshConfig(`services: { s: { maxStreamDurationMs: 9000, routes: [ { route: { cluster: c } } ] } }\n${CLUSTER_C}`);
    assert.equal(snap.listeners.get('s')!.maxStreamDurationMs, 9000);
    assert.equal(routes[0]!.name, 'w');
    assert.deepEqual(routes[0]!.action, { kind: 'weightedClusters', clusters: [{ name: 'c', weight: 90 }, { name: 'd', weight: 10 }] });
    assert.deepEqual(routes[0]!.hashPolicies, [
      { kind: 'header', name: 'x-user', terminal: false, regexRewrite: { regex: '^(.*)-.*$', substitution: '\\1' } },
      { kind: 'cookie', name: 'session', terminal: true },
      { kind: 'queryParameter', name: 'u', terminal: false },
      { kind: 'channelId', terminal: false },
    ]);
    assert.equal(routes[0]!.timeoutMs, 2000);
    assert.equal(routes[0]!.maxStreamDurationMs, 3000);
    assert.deepEqual(routes[0]!.retryPolicy, {
      retryOn: ['5xx', 'retriable-status-codes'],
      numRetries: 3,
      retriableStatusCodes: [503],
      baseIntervalMs: 10,
      maxIntervalMs: 50,
      perTryTimeoutMs: 400,
    });
    assert.deepEqual(routes[1]!.action, { kind: 'clusterHeader', header: 'x-cluster' });
    assert.deepEqual(routes[1]!.retryPolicy, {
      retryOn: ['5xx', 'connect-failure'],
      numRetries: 1,
      retriableStatusCodes: [],
      baseIntervalMs: 25,
      maxIntervalMs: 250,
    });
    assert.equal(routes[1]!.timeoutMs, undefined);
    assert.deepEqual(routes[2]!.action, { kind: 'nonForwarding' });
    const vh = parseMeshConfig(`services: { s: { retries: { retryOn: unavailable }, routes: [ { route: { cluster: c } } ] } }\n${CLUSTER_C}`)
      .listeners.get('s')!.routeTable!.virtualHosts[0]!;
    assert.deepEqual(vh.retryPolicy?.retryOn, ['unavailable']);
  });

  it('reads the full form: routeTables with virtual hosts and listeners naming them', () => {
    const snap = parseMeshConfig(`
routeTables:
  rt:
    virtualHosts:
      - name: one
        domains: [reviews.example, "*.reviews.example"]
        routes: [ { route: { cluster: c } } ]
      - name: other
        domains: ["*"]
        retries: { retryOn: [unavailable] }
        routes: [ { route: { cluster: d } } ]
listeners:
  "reviews.example:9080": { routeTable: rt, maxStreamDurationMs: 100 }
${CLUSTER_C}`);
    const l = snap.listeners.get('reviews.example:9080')!;
    assert.deepEqual(l, { name: 'reviews.example:9080', routeTableName: 'rt', maxStreamDurationMs: 100 });
    const rt = routeTableOf(snap, l)!;
    assert.equal(rt, snap.routeTables.get('rt'));
    assert.deepEqual(rt.virtualHosts.map((v) => [v.name, v.domains]), [
      ['one', ['reviews.example', '*.reviews.example']],
      ['other', ['*']],
    ]);
  });

  it('reads JSON as well as YAML, to the same snapshot', () => {
    const yaml = `services:\n  s:\n    routes:\n      - route: { cluster: c }\n${CLUSTER_C}`;
    const json = JSON.stringify({
      services: { s: { routes: [{ route: { cluster: 'c' } }] } },
      clusters: { c: { endpoints: ['10.0.0.1:80'] }, d: {} },
    }, null, '\t');
    const a = parseMeshConfig(yaml);
    const b = parseMeshConfig(json, { format: 'json' });
    const c = parseMeshConfig(json, { source: '/x/mesh.JSON' });
    assert.deepEqual(b.listeners, a.listeners);
    assert.deepEqual(b.clusters, a.clusters);
    assert.deepEqual(c.clusters, a.clusters);
  });

  it('treats an empty document as an empty mesh', () => {
    const snap = parseMeshConfig('# nothing yet\n');
    assert.equal(snap.listeners.size + snap.clusters.size + snap.routeTables.size, 0);
  });

  it('returns a deeply frozen snapshot whose maps refuse writes', () => {
    const snap = parseMeshConfig(`services: { s: { routes: [ { route: { cluster: c } } ] } }\n${CLUSTER_C}`);
    assert.ok(Object.isFrozen(snap));
    assert.throws(() => (snap.clusters as Map<string, unknown>).set('x', {}), TypeError);
    assert.throws(() => (snap.listeners as Map<string, unknown>).delete('s'), TypeError);
    assert.throws(() => (snap.routeTables as Map<string, unknown>).clear(), TypeError);
    const c = snap.clusters.get('c')!;
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.priorities) && Object.isFrozen(c.priorities[0]!.localities[0]!.endpoints[0]));
    const route = snap.listeners.get('s')!.routeTable!.virtualHosts[0]!.routes[0]!;
    assert.ok(Object.isFrozen(route.match) && Object.isFrozen(route.action));
  });

  it('versions snapshots by content', () => {
    const a = parseMeshConfig(CLUSTER_C);
    const b = parseMeshConfig(`# same content, other text\n${CLUSTER_C}`);
    const c = parseMeshConfig(CLUSTER_C.replace('10.0.0.1', '10.0.0.2'));
    assert.match(a.version, /^[0-9a-f]{16}$/);
    assert.equal(a.version, b.version);
    assert.notEqual(a.version, c.version);
  });

  it('prefixes error paths with fieldPrefix', () => {
    assertConfigError(() => meshConfigToSnapshot({ clusters: { a: { endpoints: [{ host: 'h', port: 0 }] } } }, 'mesh'), 'mesh.clusters.a.endpoints[0].port');
  });
});

describe('parseMeshConfig errors', () => {
  const cases: Array<[string, string, string, RegExp?]> = [
    ['port out of range', 'clusters: { reviews-v1: { endpoints: [ { host: h, port: 70000 } ] } }', 'clusters.reviews-v1.endpoints[0].port', /must be 1\.\.65535/],
    ['port not an integer', 'clusters: { a: { endpoints: [ { host: h, port: "80" } ] } }', 'clusters.a.endpoints[0].port', /integer/],
    ['missing port', 'clusters: { a: { endpoints: [ { host: h } ] } }', 'clusters.a.endpoints[0].port', /required/],
    ['missing host', 'clusters: { a: { endpoints: [ { port: 1 } ] } }', 'clusters.a.endpoints[0].host', /required/],
    ['bracketed IPv6 host', 'clusters: { a: { endpoints: [ { host: "[::1]", port: 1 } ] } }', 'clusters.a.endpoints[0].host'],
    ['bad endpoint string', 'clusters: { a: { endpoints: [ "nohostport" ] } }', 'clusters.a.endpoints[0]'],
    ['endpoint string port 0', 'clusters: { a: { endpoints: [ "h:0" ] } }', 'clusters.a.endpoints[0]'],
    ['weight 0', 'clusters: { a: { endpoints: [ { host: h, port: 1, weight: 0 } ] } }', 'clusters.a.endpoints[0].weight'],
    ['bad health', 'clusters: { a: { endpoints: [ { host: h, port: 1, health: OK } ] } }', 'clusters.a.endpoints[0].health'],
    ['unknown endpoint key', 'clusters: { a: { endpoints: [ { host: h, port: 1, wieght: 2 } ] } }', 'clusters.a.endpoints[0].wieght', /did you mean "weight"/],
    ['unknown locality key', 'clusters: { a: { endpoints: [ { host: h, port: 1, locality: { subzone: x } } ] } }', 'clusters.a.endpoints[0].locality.subzone', /subZone/],
    ['label not a scalar', 'clusters: { a: { endpoints: [ { host: h, port: 1, labels: { v: [1] } } ] } }', 'clusters.a.endpoints[0].labels.v'],
    ['duplicate endpoint', 'clusters: { a: { endpoints: [ "h:1", { host: h, port: 1 } ] } }', 'clusters.a.endpoints[1]', /duplicate/],
    ['priority gap', 'clusters: { a: { endpoints: [ { host: h, port: 1, priority: 1 } ] } }', 'clusters.a.endpoints', /missing priority 0/],
    ['endpoints not a list', 'clusters: { a: { endpoints: { host: h } } }', 'clusters.a.endpoints', /list/],
    ['cluster not a mapping', 'clusters: { a: 3 }', 'clusters.a', /mapping/],
    ['unknown top-level key', 'cluster: {}', 'cluster', /did you mean "clusters"/],
    ['unknown cluster key', 'clusters: { a: { lbpolicy: random } }', 'clusters.a.lbpolicy', /lbPolicy/],
    ['unknown LB policy', 'clusters: { a: { lbPolicy: fastest } }', 'clusters.a.lbPolicy', /unknown policy/],
    ['LB policy with two keys', 'clusters: { a: { lbPolicy: { random: {}, maglev: {} } } }', 'clusters.a.lbPolicy'],
    ['LB policy option typo', 'clusters: { a: { lbPolicy: { ringHash: { minRing: 3 } } } }', 'clusters.a.lbPolicy.ringHash.minRing'],
    ['options on round_robin', 'clusters: { a: { lbPolicy: { roundRobin: { x: 1 } } } }', 'clusters.a.lbPolicy.roundRobin.x'],
    ['choiceCount 1', 'clusters: { a: { lbPolicy: { leastRequest: { choiceCount: 1 } } } }', 'clusters.a.lbPolicy.leastRequest.choiceCount', /2\.\.10/],
    ['ring too large', 'clusters: { a: { lbPolicy: { ringHash: { maxRingSize: 8388609 } } } }', 'clusters.a.lbPolicy.ringHash.maxRingSize'],
    ['ring min > max', 'clusters: { a: { lbPolicy: { ringHash: { minRingSize: 10, maxRingSize: 5 } } } }', 'clusters.a.lbPolicy.ringHash.minRingSize'],
    ['maglev not prime', 'clusters: { a: { lbPolicy: { maglev: { tableSize: 100 } } } }', 'clusters.a.lbPolicy.maglev.tableSize', /prime/],
    ['max ejection percent', 'clusters: { a: { outlierDetection: { maxEjectionPercent: 101 } } }', 'clusters.a.outlierDetection.maxEjectionPercent', /0\.\.100/],
    ['interval 0', 'clusters: { a: { outlierDetection: { intervalMs: 0 } } }', 'clusters.a.outlierDetection.intervalMs'],
    ['outlier typo', 'clusters: { a: { outlierDetection: { interval: 1 } } }', 'clusters.a.outlierDetection.interval', /intervalMs/],
    ['success-rate typo', 'clusters: { a: { outlierDetection: { successRateEjection: { stdev: 1 } } } }', 'clusters.a.outlierDetection.successRateEjection.stdev'],
    ['failure threshold', 'clusters: { a: { outlierDetection: { failurePercentageEjection: { threshold: 150 } } } }', 'clusters.a.outlierDetection.failurePercentageEjection.threshold'],
    ['negative max requests', 'clusters: { a: { circuitBreaker: { maxRequests: -1 } } }', 'clusters.a.circuitBreaker.maxRequests'],
    ['circuit breaker typo', 'clusters: { a: { circuitBreaker: { maxConnections: 1 } } }', 'clusters.a.circuitBreaker.maxConnections'],
    ['drop percent > 100', 'clusters: { a: { dropOverloads: [ { category: lb, percent: 101 } ] } }', 'clusters.a.dropOverloads[0].percent'],
    ['drop without amount', 'clusters: { a: { dropOverloads: [ { category: lb } ] } }', 'clusters.a.dropOverloads[0]'],
    ['drop duplicate category', 'clusters: { a: { dropOverloads: [ { category: lb, percent: 1 }, { category: lb, percent: 2 } ] } }', 'clusters.a.dropOverloads[1].category'],
    ['bad locality mode', 'clusters: { a: { localityWeighting: { mode: istio } } }', 'clusters.a.localityWeighting.mode'],
    ['locality weight without endpoints', 'clusters: { a: { localityWeights: [ { region: r, weight: 2 } ] } }', 'clusters.a.localityWeights', /no endpoints/],
    ['locality weight 0', 'clusters: { a: { endpoints: ["h:1"], localityWeights: [ { weight: 0 } ] } }', 'clusters.a.localityWeights[0].weight'],
    ['subset of unknown cluster', 'clusters: { a: { from: nope, subset: { v: a } } }', 'clusters.a.from'],
    ['subset of a subset', 'clusters: { a: {}, b: { from: a, subset: { v: a } }, c: { from: b, subset: { v: b } } }', 'clusters.c.from'],
    ['subset without labels', 'clusters: { a: {}, b: { from: a } }', 'clusters.b.subset', /required/],
    ['subset with endpoints', 'clusters: { a: {}, b: { from: a, subset: {}, endpoints: [] } }', 'clusters.b.endpoints'],
    ['route to unknown cluster', 'services: { s: { routes: [ { route: { cluster: nope } } ] } }', 'services.s.routes[0].route.cluster', /unknown cluster "nope"/],
    ['weighted to unknown cluster', 'services: { s: { routes: [ { route: { weighted: [ { cluster: x, weight: 1 } ] } } ] } }', 'services.s.routes[0].route.weighted[0].cluster'],
    ['service without routes or cluster', 'services: { s: {} }', 'services.s.routes', /unknown cluster "s"/],
    ['route without action', 'services: { s: { routes: [ { match: { prefix: / } } ] } }', 'services.s.routes[0].route', /required/],
    ['two actions', `services: { s: { routes: [ { route: { cluster: c, clusterHeader: x } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route', /exactly one/],
    ['all weights zero', `services: { s: { routes: [ { route: { weighted: [ { cluster: c, weight: 0 } ] } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route.weighted'],
    ['weights overflow', `services: { s: { routes: [ { route: { weighted: [ { cluster: c, weight: 4294967295 }, { cluster: d, weight: 1 } ] } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route.weighted'],
    ['weight missing', `services: { s: { routes: [ { route: { weighted: [ { cluster: c } ] } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route.weighted[0].weight'],
    ['empty weighted', `services: { s: { routes: [ { route: { weighted: [] } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route.weighted'],
    ['nonForwarding false', `services: { s: { routes: [ { route: { nonForwarding: false } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].route.nonForwarding'],
    ['duplicate route name', `services: { s: { routes: [ { name: a, route: { cluster: c } }, { name: a, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[1].name'],
    ['route key typo', `services: { s: { routes: [ { rout: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].rout', /route/],
    ['two path matchers', `services: { s: { routes: [ { match: { prefix: /, path: /a }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match'],
    ['bad path regex', `services: { s: { routes: [ { match: { regex: "a(" }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.regex', /RE2/],
    ['non-RE2 regex', `services: { s: { routes: [ { match: { regex: "(?<=a)b" }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.regex'],
    ['separated prefix with slash', `services: { s: { routes: [ { match: { pathSeparatedPrefix: /a/ }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.pathSeparatedPrefix'],
    ['runtime fraction > 100', `services: { s: { routes: [ { match: { runtimeFraction: 150 }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.runtimeFraction'],
    ['header with two matchers', `services: { s: { routes: [ { match: { headers: { x: { exact: a, present: true } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x'],
    ['empty header prefix', `services: { s: { routes: [ { match: { headers: { x: { prefix: "" } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.prefix'],
    ['header matcher typo', `services: { s: { routes: [ { match: { headers: { x: { exactly: a } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.exactly'],
    ['header duplicate by case', `services: { s: { routes: [ { match: { headers: { x-a: a, X-A: b } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.X-A'],
    ['bad header regex', `services: { s: { routes: [ { match: { headers: { x: { regex: "[" } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.regex'],
    ['ignoreCase on regex', `services: { s: { routes: [ { match: { headers: { x: { regex: a, ignoreCase: true } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.ignoreCase'],
    ['empty range', `services: { s: { routes: [ { match: { headers: { x: { range: { start: 5, end: 5 } } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.range.end'],
    ['range beyond int64', `services: { s: { routes: [ { match: { headers: { x: { range: { start: 0, end: 9223372036854775808 } } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.headers.x.range.end'],
    ['query present false', `services: { s: { routes: [ { match: { query: { q: { present: false } } }, route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].match.query.q.present'],
    ['hash policy with two kinds', `services: { s: { routes: [ { route: { cluster: c }, hashPolicy: [ { header: a, cookie: b } ] } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].hashPolicy[0]'],
    ['regexRewrite on cookie', `services: { s: { routes: [ { route: { cluster: c }, hashPolicy: [ { cookie: b, regexRewrite: { regex: a, substitution: b } } ] } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].hashPolicy[0].regexRewrite'],
    ['negative timeout', `services: { s: { routes: [ { route: { cluster: c }, timeoutMs: -1 } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].timeoutMs'],
    ['timeout as a string', `services: { s: { routes: [ { route: { cluster: c }, timeoutMs: 2s } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].timeoutMs'],
    ['retries without retryOn', `services: { s: { routes: [ { route: { cluster: c }, retries: { numRetries: 2 } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].retries.retryOn'],
    ['retry max < base', `services: { s: { routes: [ { route: { cluster: c }, retries: { retryOn: [a], baseIntervalMs: 50, maxIntervalMs: 10 } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].retries.maxIntervalMs'],
    ['retriable status code', `services: { s: { routes: [ { route: { cluster: c }, retries: { retryOn: [a], retriableStatusCodes: [700] } } ] } }\n${CLUSTER_C}`, 'services.s.routes[0].retries.retriableStatusCodes[0]'],
    ['bad domain', `services: { s: { domains: ["a*b"], routes: [ { route: { cluster: c } } ] } }\n${CLUSTER_C}`, 'services.s.domains[0]'],
    ['service key typo', `services: { s: { route: [] } }\n${CLUSTER_C}`, 'services.s.route', /routes/],
    ['dotted service names are quoted in paths', 'services: { "reviews.ns.svc:9080": { routes: [ { route: { cluster: x } } ] } }', 'services["reviews.ns.svc:9080"].routes[0].route.cluster'],
    ['listener without route table', 'listeners: { l: {} }', 'listeners.l.routeTable'],
    ['listener with unknown route table', 'listeners: { l: { routeTable: x } }', 'listeners.l.routeTable', /unknown route table/],
    ['listener clashing with a service', `services: { c: {} }\nrouteTables: { rt: { virtualHosts: [] } }\nlisteners: { c: { routeTable: rt } }\n${CLUSTER_C}`, 'listeners.c', /duplicate/],
    ['virtual host without name', 'routeTables: { rt: { virtualHosts: [ { domains: ["*"], routes: [] } ] } }', 'routeTables.rt.virtualHosts[0].name'],
    ['duplicate virtual host', 'routeTables: { rt: { virtualHosts: [ { name: a, domains: [x], routes: [] }, { name: a, domains: [y], routes: [] } ] } }', 'routeTables.rt.virtualHosts[1].name'],
    ['duplicate domain across virtual hosts', 'routeTables: { rt: { virtualHosts: [ { name: a, domains: ["*"], routes: [] }, { name: b, domains: ["*"], routes: [] } ] } }', 'routeTables.rt.virtualHosts[1].domains[0]'],
    ['empty domains', 'routeTables: { rt: { virtualHosts: [ { name: a, domains: [], routes: [] } ] } }', 'routeTables.rt.virtualHosts[0].domains'],
    ['virtual host without routes', 'routeTables: { rt: { virtualHosts: [ { name: a, domains: ["*"] } ] } }', 'routeTables.rt.virtualHosts[0].routes'],
    ['top level not a mapping', '- a\n- b\n', '', /must be a mapping/],
  ];
  for (const [title, text, field, problem] of cases) {
    it(`rejects ${title} at ${field || '(document)'}`, () => {
      assertConfigError(() => parseMeshConfig(text), field, problem);
    });
  }

  it('names the line and column of a YAML syntax error', () => {
    const err = assertConfigError(() => parseMeshConfig('clusters:\n  a: { endpoints: [ }\n', { source: 'mesh.yaml' }), '');
    assert.match(err.message, /^mesh\.yaml:2:\d+: /);
  });

  it('rejects duplicate keys with their position', () => {
    const err = assertConfigError(() => parseMeshConfig('clusters:\n  a: {}\n  a: {}\n', { source: 'mesh.yaml' }), '');
    assert.match(err.message, /^mesh\.yaml:3:3: .*unique/);
  });

  it('names the line and column of a JSON syntax error, and rejects duplicate JSON keys', () => {
    const err = assertConfigError(() => parseMeshConfig('{\n  "clusters": {,\n}', { format: 'json', source: 'mesh.json' }), '');
    assert.match(err.message, /^mesh\.json:2:\d+: /);
    assertConfigError(() => parseMeshConfig('{"clusters": {"a": {}, "a": {}}}', { format: 'json' }), '', /unique/);
  });

  it('does not echo values in type errors', () => {
    const err = assertConfigError(() => parseMeshConfig('clusters: { a: { endpoints: [ { host: h, port: "s3cr3t" } ] } }'), 'clusters.a.endpoints[0].port');
    assert.doesNotMatch(err.message, /s3cr3t/);
  });
});
