import { MeshClient } from '../src/client/mesh-client';
import { createCluster, type LbPolicy } from '../src/model/cluster';
import { createEndpoint } from '../src/model/endpoint';
import { createMeshSnapshot } from '../src/model/mesh-snapshot';
import type { Route } from '../src/model/route-table';
import { StaticSource } from '../src/sources/static/static-source';
import { xxh64Ready } from '../src/hashing/xxh64';
import { median, type BenchResult } from './bench-result';

const ENDPOINTS = 1000;

function snapshotFor(policy: LbPolicy) {
  const endpoints = (offset: number) =>
    Array.from({ length: ENDPOINTS / 2 }, (_, i) =>
      createEndpoint({ host: `10.${offset}.${i >> 8}.${i & 255}`, port: 8080, locality: { zone: `z${i % 3}` } }),
    );
  const routes: Route[] = ['/a/', '/b/', '/c/', '/d/'].map((prefix) => ({
    match: {
      path: { kind: 'prefix', value: prefix },
      caseSensitive: true,
      headers: [{ name: 'x-env', match: { kind: 'string', matcher: { kind: 'exact', value: 'staging', ignoreCase: false } }, invert: false, treatMissingAsEmpty: false }],
      queryParameters: [],
    },
    action: { kind: 'cluster', cluster: 'v1' },
    hashPolicies: [],
  }));
  routes.push({
    match: { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [], queryParameters: [] },
    action: { kind: 'weightedClusters', clusters: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] },
    hashPolicies: [{ kind: 'header', name: 'x-user', terminal: false }],
  });
  return createMeshSnapshot({
    version: '1',
    listeners: [{ name: 'reviews', routeTable: { name: 'rt', virtualHosts: [{ name: 'vh', domains: ['reviews'], routes }] } }],
    clusters: [createCluster({ name: 'v1', endpoints: endpoints(1), lbPolicy: policy }), createCluster({ name: 'v2', endpoints: endpoints(2), lbPolicy: policy })],
  });
}

const POLICIES: Array<[string, LbPolicy]> = [
  ['round_robin', { name: 'round_robin' }],
  ['ring_hash', { name: 'ring_hash', minRingSize: 1024, maxRingSize: 8_388_608 }],
  ['least_request', { name: 'least_request', choiceCount: 2 }],
  ['maglev', { name: 'maglev', tableSize: 65_537 }],
];

/**
 * ns per pick() (route match over 5 routes, weighted clusters, 2 clusters × 500 endpoints) and heap
 * growth over 1 M picks, for round_robin, ring_hash, least_request and maglev.
 */
export async function run(): Promise<BenchResult[]> {
  await xxh64Ready;
  const out: BenchResult[] = [];
  // 1,000 users cycling (the sticky-session case) and 50,000: the request values are short, so
  // both hash them on each pick (src/hashing/hash-memo.ts memoises long values only); the second
  // shows that the cost does not depend on how many distinct values there are.
  const contexts = (users: number) =>
    Array.from({ length: users }, (_, i) => ({ path: '/api/v1/items', headers: { 'x-user': `user-${i}`, 'x-env': 'prod' } }));
  const variants: Array<[string, LbPolicy, ReturnType<typeof contexts>]> = POLICIES.map(([n, p]) => [`${n}, 1,000 users`, p, contexts(1000)]);
  variants.push(['ring_hash, 50,000 users (no memo hits)', POLICIES[1]![1], contexts(50_000)]);
  for (const [name, policy, ctxs] of variants) {
    const mesh = new MeshClient({ sources: [new StaticSource(snapshotFor(policy))] });
    await mesh.ready(['reviews']);
    const batch = 10_000;
    const samples: number[] = [];
    for (let round = 0; round < 60; round++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) {
        const r = mesh.pick('reviews', ctxs[(round * batch + i) % ctxs.length]);
        if (r.ok) r.done();
      }
      samples.push(Number(process.hrtime.bigint() - t0) / batch);
    }
    const ns = median(samples.slice(10));
    out.push({ name: `pick() ${name}, median`, value: Math.round(ns), unit: 'ns', budget: '< 1000 ns', withinBudget: ns < 1000 });

    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) {
      const r = mesh.pick('reviews', ctxs[i % ctxs.length]);
      if (r.ok) r.done();
    }
    gc?.();
    const growth = (process.memoryUsage().heapUsed - before) / 1024;
    out.push({
      name: `heap growth over 1 M picks, ${name}${gc ? '' : ' (run with --expose-gc for a clean figure)'}`,
      value: Math.round(growth),
      unit: 'KiB',
      budget: 'no steady-state growth (< 512 KiB)',
      withinBudget: growth < 512,
    });
    await mesh.close();
  }
  return out;
}
