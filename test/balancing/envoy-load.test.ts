import assert from 'node:assert/strict';
import { envoyLocalityWeight, envoyPriorityLoads } from '../../src/balancing/envoy-load';
import { createClusterBalancer } from '../../src/balancing/cluster-balancer';
import { cluster, countPicks, endpoints, locality, seededRandom } from './cluster-fixture';

const envoy = { mode: 'envoy', overprovisioningFactor: 140 } as const;

describe('Envoy locality weighting', () => {
  it('splits 70/30 when P0 is 50 % healthy and P1 fully healthy', () => {
    assert.deepEqual(
      [...envoyPriorityLoads([{ healthy: 5, total: 10 }, { healthy: 10, total: 10 }], 1.4)],
      [70, 30],
    );
  });

  it('keeps P0 at 100 % until fewer than ≈71.4 % of its hosts are healthy', () => {
    assert.equal(envoyPriorityLoads([{ healthy: 72, total: 100 }, { healthy: 1, total: 1 }], 1.4)[0], 100);
    assert.ok(envoyPriorityLoads([{ healthy: 71, total: 100 }, { healthy: 1, total: 1 }], 1.4)[0]! < 100);
  });

  it('gives nothing when no host is healthy', () => {
    assert.deepEqual([...envoyPriorityLoads([{ healthy: 0, total: 3 }], 1.4)], [0]);
  });

  it('scales a locality weight by its availability, capped at 100', () => {
    assert.equal(envoyLocalityWeight(2, { healthy: 1, total: 2 }, 1.4), 140);
    assert.equal(envoyLocalityWeight(2, { healthy: 2, total: 2 }, 1.4), 200);
  });

  it('drives a balancer in envoy mode: 70/30 across priorities', () => {
    const p0 = [locality('a', 1, [...endpoints(1, { third: 1 }), ...endpoints(1, { third: 3, health: 'UNHEALTHY' })])];
    const p1 = [locality('b', 1, endpoints(2, { third: 2 }))];
    const b = createClusterBalancer(cluster([p0, p1], { localityWeighting: envoy }), { random: seededRandom(1) });
    const counts = countPicks(b, 100_000);
    const toP0 = (counts.get('10.0.1.1:8080') ?? 0) / 100_000;
    assert.ok(Math.abs(toP0 - 0.7) < 0.01, String(toP0));
  });

  it('the gRPC model sends everything to P0 in the same situation', () => {
    const p0 = [locality('a', 1, [...endpoints(1, { third: 1 }), ...endpoints(1, { third: 3, health: 'UNHEALTHY' })])];
    const p1 = [locality('b', 1, endpoints(2, { third: 2 }))];
    const b = createClusterBalancer(cluster([p0, p1]), { random: seededRandom(1) });
    assert.deepEqual([...countPicks(b, 1000).keys()], ['10.0.1.1:8080']);
  });

  it('weights localities by effective weight within a priority', () => {
    // a: weight 1, fully healthy ⇒ 100; b: weight 1, 1 of 4 healthy ⇒ 35. Share of a = 100/135.
    const p0 = [
      locality('a', 1, endpoints(1, { third: 1 })),
      locality('b', 1, [...endpoints(1, { third: 2 }), ...endpoints(3, { third: 4, health: 'UNHEALTHY' })]),
    ];
    const b = createClusterBalancer(cluster([p0], { localityWeighting: envoy }), { random: seededRandom(2) });
    const share = (countPicks(b, 100_000).get('10.0.1.1:8080') ?? 0) / 100_000;
    assert.ok(Math.abs(share - 100 / 135) < 0.01, String(share));
  });
});
