import assert from 'node:assert/strict';
import { createClusterBalancer } from '../../src/balancing/cluster-balancer';
import type { EndpointPick } from '../../src/balancing/balancer';
import { endpoints, flatCluster } from './cluster-fixture';

describe('CircuitBreaker (check 29)', () => {
  it('fails the third concurrent pick with MESH_ERR_OVERLOADED when maxRequests is 2, and a release frees a slot', () => {
    const b = createClusterBalancer(flatCluster(endpoints(3), undefined, { circuitBreaker: { maxRequests: 2 } }));
    const one = b.pick(undefined, undefined) as EndpointPick;
    const two = b.pick(undefined, undefined) as EndpointPick;
    assert.ok(one.ok && two.ok);
    const three = b.pick(undefined, undefined);
    assert.equal(three.ok, false);
    assert.equal(!three.ok && three.code, 'MESH_ERR_OVERLOADED');
    assert.ok(Object.isFrozen(three));
    assert.equal(b.stats().overloadedTotal, 1);
    assert.equal(b.stats().inFlight, 2);
    b.release(one, { ok: false });
    assert.ok(b.pick(undefined, undefined).ok);
  });

  it('defaults to 1024 concurrent calls', () => {
    const b = createClusterBalancer(flatCluster(endpoints(2)));
    for (let i = 0; i < 1024; i++) assert.ok(b.pick(undefined, undefined).ok, `pick ${i}`);
    const over = b.pick(undefined, undefined);
    assert.equal(!over.ok && over.code, 'MESH_ERR_OVERLOADED');
  });

  it('does not count picks that found no endpoint', () => {
    const b = createClusterBalancer(flatCluster(endpoints(1, { health: 'DRAINING' }), undefined, { circuitBreaker: { maxRequests: 1 } }));
    for (let i = 0; i < 3; i++) {
      const r = b.pick(undefined, undefined);
      assert.equal(!r.ok && r.code, 'MESH_ERR_NO_ENDPOINT');
    }
    assert.equal(b.stats().inFlight, 0);
  });
});
