import assert from 'node:assert/strict';
import { effectiveTimeoutMs } from '../../src/routing/timeout';
import { route } from './fixtures';

describe('effectiveTimeoutMs', () => {
  it('HTTP mode uses the route timeout, capped by the application deadline', () => {
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 3000 }), 'http'), 3000);
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 3000 }), 'http', 1000), 1000);
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 3000, maxStreamDurationMs: 10 }), 'http'), 3000);
  });
  it('gRPC mode caps the application deadline with maxStreamDurationMs', () => {
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 2000 }), 'grpc', 5000), 2000);
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 2000 }), 'grpc', 1000), 1000);
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 2000 }), 'grpc'), 2000);
  });
  it('gRPC mode ignores the route timeout', () => {
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 1000 }), 'grpc', 5000), 5000);
  });
  it('0 or absent means no cap; no deadline at all is undefined', () => {
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 0 }), 'http'), undefined);
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 0 }), 'grpc', 5000), 5000);
    assert.equal(effectiveTimeoutMs(route(), 'grpc'), undefined);
  });
});
