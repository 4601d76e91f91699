import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Runs in a fresh process: the type feedback that hundreds of other tests leave behind (every kind
// of request object, injected random sources) is not what an application's steady state looks like.
const script = (routerJs: string, fixturesJs: string) => `
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { Router } = require(${JSON.stringify(routerJs)});
const F = require(${JSON.stringify(fixturesJs)});
const t = F.table(
  F.virtualHost('other', ['other:80']),
  F.virtualHost('reviews', ['reviews:9080', '*.reviews'], [
    F.route({ path: { kind: 'prefix', value: '/admin' }, cluster: 'admin' }),
    F.route({ path: { kind: 'path', value: '/health' }, cluster: 'health' }),
    F.route({ path: { kind: 'prefix', value: '/api' }, headers: [F.headerExact('x-env', 'canary')], cluster: 'canary' }),
    F.route({
      path: { kind: 'pathSeparatedPrefix', value: '/api' },
      action: { kind: 'weightedClusters', clusters: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] },
      hashPolicies: [{ kind: 'channelId', terminal: false }],
    }),
  ]),
);
const router = new Router(t, { mode: 'http', channelId: 5n });
const ctx = { path: '/api/items?page=2', method: 'GET', headers: { 'x-env': 'prod', 'x-user': 'u1' } };
let picked = 0;
function request() {
  const r = router.match('reviews:9080', ctx);
  if (r !== undefined && r.pickCluster(ctx) !== undefined && r.requestHash(ctx) === 5n) picked++;
}
for (let i = 0; i < 200000; i++) request();
let scavenges = 0;
const count = (entries) => { for (const e of entries) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++; };
const observer = new PerformanceObserver((list) => count(list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
for (let i = 0; i < 1000000; i++) request();
setImmediate(() => setImmediate(() => {
  count(observer.takeRecords());
  observer.disconnect();
  process.stdout.write(JSON.stringify({ scavenges, picked }));
}));`;

describe('Router hot path', () => {
  // A per-request allocation of even 16 bytes fills the young generation (1–16 MiB semi-spaces)
  // many times over 1,000,000 requests, so it shows as dozens of scavenges. One or two can come
  // from V8 and the GC observer themselves, so the bound is 2, not 0.
  it('match, pickCluster and requestHash allocate nothing per request (at most 2 scavenges over 1,000,000 requests)', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', script(path.resolve(__dirname, '../../src/routing/router.js'), path.resolve(__dirname, 'fixtures.js'))],
      { encoding: 'utf8' },
    );
    const { scavenges, picked } = JSON.parse(out) as { scavenges: number; picked: number };
    assert.equal(picked, 1_200_000);
    assert.ok(scavenges <= 2, `${scavenges} scavenges: something allocates per request`);
  });
});
