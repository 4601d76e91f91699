import assert from 'node:assert/strict';
import { classifyAttemptError, retriesFailure, retriesStatus, retryBackoffMs } from '../../../src/integrations/undici/retry-conditions';
import { retryPolicy } from '../support/mesh-fixture';

function err(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('undici retry conditions', () => {
  it('classifies refused connections as connect-failure and later errors as resets', () => {
    assert.equal(classifyAttemptError(err('ECONNREFUSED'), false), 'connect-failure');
    assert.equal(classifyAttemptError(err('UND_ERR_CONNECT_TIMEOUT'), false), 'connect-failure');
    assert.equal(classifyAttemptError(err('ECONNRESET'), true), 'reset');
    assert.equal(classifyAttemptError(err('UND_ERR_SOCKET'), true), 'reset');
    assert.equal(classifyAttemptError(err('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_REFUSED_STREAM'), true), 'refused-stream');
  });

  it('retries failures without a response per retry_on, with 5xx and gateway-error covering all', () => {
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['connect-failure'] }), 'connect-failure'), true);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['connect-failure'] }), 'reset'), false);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['reset'] }), 'per-try-timeout'), true);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['reset'] }), 'connect-failure'), false);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['refused-stream'] }), 'refused-stream'), true);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['5xx'] }), 'connect-failure'), true);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['gateway-error'] }), 'reset'), true);
    assert.equal(retriesFailure(retryPolicy({ retryOn: ['retriable-status-codes'] }), 'reset'), false);
  });

  it('retries statuses per retry_on', () => {
    assert.equal(retriesStatus(retryPolicy({ retryOn: ['5xx'] }), 500), true);
    assert.equal(retriesStatus(retryPolicy({ retryOn: ['5xx'] }), 429), false);
    assert.equal(retriesStatus(retryPolicy({ retryOn: ['gateway-error'] }), 500), false);
    assert.equal(retriesStatus(retryPolicy({ retryOn: ['gateway-error'] }), 504), true);
    assert.equal(retriesStatus(retryPolicy({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [409] }), 409), true);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const p = retryPolicy({ retryOn: ['5xx'], baseIntervalMs: 25, maxIntervalMs: 250 });
    assert.equal(retryBackoffMs(p, 1, () => 0.999), 24);
    assert.equal(retryBackoffMs(p, 3, () => 0.5), 50);
    assert.equal(retryBackoffMs(p, 10, () => 0.5), 125);
    assert.equal(retryBackoffMs(p, 2, () => 0), 0);
  });
});
