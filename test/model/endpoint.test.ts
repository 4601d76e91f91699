import assert from 'node:assert/strict';
import { createEndpoint, isServingHealth } from '../../src/model/endpoint';

describe('createEndpoint', () => {
  it('fills defaults and formats the address', () => {
    const e = createEndpoint({ host: '10.0.0.1', port: 8080 });
    assert.equal(e.address, '10.0.0.1:8080');
    assert.equal(e.weight, 1);
    assert.equal(e.health, 'UNKNOWN');
    assert.equal(e.priority, 0);
    assert.ok(Object.isFrozen(e));
  });
  it('brackets IPv6 literals', () => {
    assert.equal(createEndpoint({ host: '::1', port: 50051 }).address, '[::1]:50051');
  });
  it('serves only HEALTHY and UNKNOWN endpoints', () => {
    assert.deepEqual(
      (['UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'] as const).map(isServingHealth),
      [true, true, false, false, false, false],
    );
  });
});
