import assert from 'node:assert/strict';
import { grpcRetryPolicy } from '../../../src/integrations/grpc/grpc-retry-policy';
import { normalizeRetryPolicy } from '../../../src/routing/retry-policy';

describe('grpcRetryPolicy (gRFC A44 → A6)', () => {
  it('maps retry_on, num_retries and retry_back_off with the A44 defaults', () => {
    assert.deepEqual(grpcRetryPolicy(normalizeRetryPolicy({ retryOn: 'unavailable,cancelled' })), {
      maxAttempts: 2,
      initialBackoff: '0.025s',
      maxBackoff: '0.25s',
      backoffMultiplier: 2,
      retryableStatusCodes: [1, 14],
    });
    assert.deepEqual(
      grpcRetryPolicy(normalizeRetryPolicy({ retryOn: ['deadline-exceeded', 'internal', 'resource-exhausted'], numRetries: 3, baseIntervalMs: 100, maxIntervalMs: 1500 })),
      { maxAttempts: 4, initialBackoff: '0.1s', maxBackoff: '1.5s', backoffMultiplier: 2, retryableStatusCodes: [4, 8, 13] },
    );
  });

  it('caps attempts at 5 and turns intervals below 1 ms into 1 ms', () => {
    const p = grpcRetryPolicy(normalizeRetryPolicy({ retryOn: ['unavailable'], numRetries: 10, baseIntervalMs: 0.2, maxIntervalMs: 0.5 }));
    assert.equal(p?.maxAttempts, 5);
    assert.equal(p?.initialBackoff, '0.001s');
    assert.equal(p?.maxBackoff, '0.001s');
  });

  it('gives no policy when nothing can be retried', () => {
    assert.equal(grpcRetryPolicy(undefined), undefined);
    assert.equal(grpcRetryPolicy(normalizeRetryPolicy({ retryOn: ['5xx', 'gateway-error', 'reset'], numRetries: 3 })), undefined);
    assert.equal(grpcRetryPolicy(normalizeRetryPolicy({ retryOn: ['unavailable'], numRetries: 0 })), undefined);
  });
});
