import assert from 'node:assert/strict';
import { xxh64, xxh64Ready } from '../../src/hashing/xxh64';
import { createClusterBalancer } from '../../src/balancing/cluster-balancer';
import { createEndpoint } from '../../src/model/endpoint';
import type { HealthStatus } from '../../src/model/endpoint';
import { MeshError } from '../../src/errors';
import { cluster, countPicks, endpoints, flatCluster, locality, seededRandom } from './cluster-fixture';

const N = 100_000;

describe('ClusterBalancer', () => {
  before(() => xxh64Ready);

  describe('health filtering (check 23)', () => {
    it('never picks DRAINING, UNHEALTHY, DEGRADED or TIMEOUT endpoints; picks UNKNOWN and HEALTHY', () => {
      const healths: HealthStatus[] = ['UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'];
      const eps = healths.map((health, i) => createEndpoint({ host: `10.0.0.${i + 1}`, port: 8080, health }));
      for (const lbPolicy of [
        { name: 'round_robin' } as const,
        { name: 'ring_hash', minRingSize: 1024, maxRingSize: 8_388_608 } as const,
        { name: 'maglev', tableSize: 65_537 } as const,
      ]) {
        const b = createClusterBalancer(flatCluster(eps, lbPolicy), { random: seededRandom(1) });
        const counts = countPicks(b, 10_000);
        assert.deepEqual([...counts.keys()].sort(), ['10.0.0.1:8080', '10.0.0.2:8080'], lbPolicy.name);
        b.close();
      }
    });

    it('fails with MESH_ERR_NO_ENDPOINT when nothing serves, with one shared frozen failure', () => {
      const b = createClusterBalancer(flatCluster(endpoints(2, { health: 'UNHEALTHY' })));
      const first = b.pick(undefined, undefined);
      const second = b.pick(undefined, undefined);
      assert.equal(first.ok, false);
      assert.equal(!first.ok && first.code, 'MESH_ERR_NO_ENDPOINT');
      assert.equal(first, second);
      assert.ok(Object.isFrozen(first));
      assert.equal(b.stats().noEndpointTotal, 2);
      assert.equal(b.stats().inFlight, 0);
    });
  });

  describe('locality weighting, gRPC model (check 24)', () => {
    it('splits 25 % / 75 % ± 1 % of 100,000 picks between localities weighted 1 and 3', () => {
      const b = createClusterBalancer(
        cluster([[locality('a', 1, endpoints(2, { third: 1 })), locality('b', 3, endpoints(3, { third: 2 }))]]),
        { random: seededRandom(2) },
      );
      let inA = 0;
      for (const [address, count] of countPicks(b, N)) if (address.startsWith('10.0.1.')) inA += count;
      assert.ok(Math.abs(inA / N - 0.25) < 0.01, String(inA / N));
    });

    it('sends 100 % to the other locality when the weight-3 locality has no usable endpoint', () => {
      const b = createClusterBalancer(
        cluster([[locality('a', 1, endpoints(2, { third: 1 })), locality('b', 3, endpoints(3, { third: 2, health: 'UNHEALTHY' }))]]),
        { random: seededRandom(3) },
      );
      const counts = countPicks(b, N);
      assert.deepEqual([...counts.keys()].sort(), ['10.0.1.1:8080', '10.0.1.2:8080']);
    });

    it('balances endpoints within a locality by the policy (weighted_round_robin by endpoint weight)', () => {
      const eps = [createEndpoint({ host: '10.0.0.1', port: 80, weight: 1 }), createEndpoint({ host: '10.0.0.2', port: 80, weight: 4 })];
      const b = createClusterBalancer(flatCluster(eps, { name: 'weighted_round_robin' }), { random: seededRandom(4) });
      const counts = countPicks(b, N);
      assert.ok(Math.abs(counts.get('10.0.0.2:80')! / N - 0.8) < 0.001);
    });

    it('ignores localities whose weight is 0', () => {
      const b = createClusterBalancer(cluster([[locality('a', 0, endpoints(1, { third: 1 })), locality('b', 1, endpoints(1, { third: 2 }))]]));
      assert.deepEqual([...countPicks(b, 1000).keys()], ['10.0.2.1:8080']);
    });
  });

  describe('priority failover (check 25)', () => {
    it('moves all traffic to P1 when every P0 endpoint is unhealthy and back when P0 recovers', () => {
      const p1 = [locality('b', 1, endpoints(2, { third: 2 }))];
      const b = createClusterBalancer(cluster([[locality('a', 1, endpoints(2, { third: 1 }))], p1]));
      assert.ok([...countPicks(b, 1000).keys()].every((a) => a.startsWith('10.0.1.')));
      b.update(cluster([[locality('a', 1, endpoints(2, { third: 1, health: 'UNHEALTHY' }))], p1]));
      assert.ok([...countPicks(b, 1000).keys()].every((a) => a.startsWith('10.0.2.')));
      b.update(cluster([[locality('a', 1, endpoints(2, { third: 1, health: 'HEALTHY' }))], p1]));
      assert.ok([...countPicks(b, 1000).keys()].every((a) => a.startsWith('10.0.1.')));
    });

    it('ring hash uses the chosen priority flattened, endpoint weight × locality weight', () => {
      const policy = { name: 'ring_hash', minRingSize: 1024, maxRingSize: 8_388_608 } as const;
      const a = endpoints(1, { third: 1 });
      const bEps = endpoints(1, { third: 2 });
      const b = createClusterBalancer(cluster([[locality('a', 1, a), locality('b', 3, bEps)]], { lbPolicy: policy }), {
        random: seededRandom(5),
      });
      assert.equal(b.usesRequestHash, true);
      const counts = countPicks(b, N);
      assert.ok(Math.abs(counts.get('10.0.2.1:8080')! / N - 0.75) < 0.01, String(counts.get('10.0.2.1:8080')! / N));
      const h = xxh64('session-42');
      const first = b.pick(h, undefined);
      for (let i = 0; i < 100; i++) assert.equal(b.pick(h, undefined), first);
    });
  });

  describe('picks', () => {
    it('returns the same preallocated frozen pick object for an endpoint', () => {
      const b = createClusterBalancer(flatCluster(endpoints(1)));
      const x = b.pick(undefined, undefined);
      const y = b.pick(undefined, undefined);
      assert.ok(x.ok && Object.isFrozen(x));
      assert.equal(x, y);
      assert.equal(b.usesRequestHash, false);
    });

    it('hashes the A76 requestHashHeader (values joined by ",") when no request hash is given', () => {
      const policy = { name: 'ring_hash', minRingSize: 1024, maxRingSize: 8_388_608, requestHashHeader: 'X-User' } as const;
      const b = createClusterBalancer(flatCluster(endpoints(5), policy));
      const viaHeader = b.pick(undefined, { 'x-user': ['a', 'b'] });
      const viaHash = b.pick(xxh64('a,b'), undefined);
      assert.ok(viaHeader.ok && viaHash.ok);
      assert.equal(viaHeader.endpoint.address, viaHash.endpoint.address);
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const r = b.pick(undefined, { 'x-user': `user-${i}` });
        if (r.ok) seen.add(r.endpoint.address);
        const again = b.pick(undefined, { 'x-user': `user-${i}` });
        assert.equal(again, r);
      }
      assert.equal(seen.size, 5);
    });

    it('counts in-flight calls, failures and latency', () => {
      const b = createClusterBalancer(flatCluster(endpoints(2)));
      const one = b.pick(undefined, undefined);
      const two = b.pick(undefined, undefined);
      assert.ok(one.ok && two.ok);
      assert.equal(b.stats().inFlight, 2);
      b.release(one, { ok: true, latencyMs: 5 });
      b.release(two, { ok: false, latencyMs: 7, status: 503 });
      const s = b.stats();
      assert.deepEqual(
        [s.cluster, s.inFlight, s.requestsTotal, s.failuresTotal, s.latencyMsSum],
        ['c', 0, 2, 1, 12],
      );
    });
  });

  describe('update', () => {
    it('keeps outstanding counts by address across updates (least_request)', () => {
      const policy = { name: 'least_request', choiceCount: 2 } as const;
      const b = createClusterBalancer(flatCluster(endpoints(2), policy), { random: seededRandom(6) });
      const held: ReturnType<typeof b.pick>[] = [];
      for (let i = 0; i < 50; i++) {
        const r = b.pick(undefined, undefined);
        if (r.ok && r.endpoint.address === '10.0.0.1:8080') held.push(r);
        else if (r.ok) b.release(r, { ok: true });
      }
      assert.ok(held.length > 0);
      // A new version with the same addresses (new objects, one more endpoint).
      b.update(flatCluster(endpoints(3), policy));
      const counts = countPicks(b, 3000);
      // Only when both samples hit the busy endpoint: 1/9 ≈ 11 % (a reset counter would give 1/3).
      assert.ok((counts.get('10.0.0.1:8080') ?? 0) < 0.15 * 3000, String(counts.get('10.0.0.1:8080')));
      for (const r of held) if (r.ok) b.release(r, { ok: true });
      assert.equal(b.stats().inFlight, 0);
    });

    it('rejects an unknown policy and keeps serving the last good version', () => {
      const b = createClusterBalancer(flatCluster(endpoints(1)));
      assert.throws(
        () => b.update(flatCluster(endpoints(1, { third: 9 }), { name: 'bogus' } as never)),
        (e: MeshError) => e.code === 'MESH_ERR_INVALID_CONFIG' && e.field === 'lbPolicy.name',
      );
      const r = b.pick(undefined, undefined);
      assert.ok(r.ok && r.endpoint.address === '10.0.0.1:8080');
    });

    it('throws INVALID_CONFIG for an unknown policy at creation', () => {
      assert.throws(() => createClusterBalancer(flatCluster(endpoints(1), { name: 'bogus' } as never)), /unknown load-balancing policy/);
    });
  });
});
