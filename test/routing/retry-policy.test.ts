import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import {
  backoffMs,
  isRetriableHttpFailure,
  isRetriableHttpStatus,
  maxGrpcAttempts,
  maxHttpAttempts,
  normalizeRetryPolicy,
  retriableGrpcCodes,
} from '../../src/routing/retry-policy';
import { retry, thrown } from './fixtures';

describe('normalizeRetryPolicy', () => {
  it('fills the A44 defaults: 1 retry, 25 ms base, 10 x base max', () => {
    const p = normalizeRetryPolicy({});
    assert.deepEqual({ ...p }, { retryOn: [], numRetries: 1, retriableStatusCodes: [], baseIntervalMs: 25, maxIntervalMs: 250 });
    assert.ok(Object.isFrozen(p));
    assert.equal(normalizeRetryPolicy({ baseIntervalMs: 100 }).maxIntervalMs, 1000);
  });
  it('splits a comma-separated retryOn and trims it', () => {
    assert.deepEqual(normalizeRetryPolicy({ retryOn: ' 5xx, reset,,' }).retryOn, ['5xx', 'reset']);
  });
  it('treats intervals below 1 ms as 1 ms', () => {
    assert.equal(normalizeRetryPolicy({ baseIntervalMs: 0.2 }).baseIntervalMs, 1);
  });
  it('rejects a base interval of 0, naming the field', () => {
    const err = thrown(() => normalizeRetryPolicy({ baseIntervalMs: 0 }, 'routes[0].retryPolicy'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'routes[0].retryPolicy.baseIntervalMs');
  });
  it('rejects a max below the base, a negative numRetries and a bad status code', () => {
    assert.equal(thrown(() => normalizeRetryPolicy({ baseIntervalMs: 50, maxIntervalMs: 10 })).field, 'retryPolicy.maxIntervalMs');
    assert.equal(thrown(() => normalizeRetryPolicy({ numRetries: -1 })).field, 'retryPolicy.numRetries');
    assert.equal(thrown(() => normalizeRetryPolicy({ retriableStatusCodes: [503, 42] })).field, 'retryPolicy.retriableStatusCodes[1]');
  });
});

describe('HTTP retry conditions', () => {
  it('5xx retries every 500..599 status', () => {
    const p = retry({ retryOn: ['5xx'] });
    assert.deepEqual([500, 503, 599, 404, 200].map((s) => isRetriableHttpStatus(p, s)), [true, true, true, false, false]);
  });
  it('gateway-error retries 502, 503 and 504 only', () => {
    const p = retry({ retryOn: ['gateway-error'] });
    assert.deepEqual([500, 502, 503, 504, 505].map((s) => isRetriableHttpStatus(p, s)), [false, true, true, true, false]);
  });
  it('retriable-status-codes retries the listed statuses', () => {
    const p = retry({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [409, 503] });
    assert.deepEqual([409, 503, 500].map((s) => isRetriableHttpStatus(p, s)), [true, true, false]);
    assert.equal(isRetriableHttpStatus(retry({ retryOn: [], retriableStatusCodes: [409] }), 409), false);
  });
  it('reset, connect-failure and refused-stream retry their failure; 5xx and gateway-error retry all three', () => {
    const kinds = ['reset', 'connect-failure', 'refused-stream'] as const;
    const on = (...retryOn: string[]) => kinds.map((k) => isRetriableHttpFailure(retry({ retryOn }), k));
    assert.deepEqual(on('connect-failure'), [false, true, false]);
    assert.deepEqual(on('refused-stream'), [false, false, true]);
    assert.deepEqual(on('reset'), [true, true, true]);
    assert.deepEqual(on('5xx'), [true, true, true]);
    assert.deepEqual(on('gateway-error'), [true, true, true]);
    assert.deepEqual(on('retriable-status-codes'), [false, false, false]);
  });
  it('allows numRetries + 1 HTTP attempts', () => {
    assert.equal(maxHttpAttempts(retry({ numRetries: 7 })), 8);
  });
});

describe('gRPC retry conversion', () => {
  it('keeps only cancelled, deadline-exceeded, internal, resource-exhausted and unavailable', () => {
    const p = retry({ retryOn: ['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable', '5xx', 'reset'] });
    assert.deepEqual(retriableGrpcCodes(p), [1, 4, 8, 13, 14]);
  });
  it('caps attempts at 5 and allows one when no gRPC code is retriable', () => {
    assert.equal(maxGrpcAttempts(retry({ retryOn: ['unavailable'], numRetries: 10 })), 5);
    assert.equal(maxGrpcAttempts(retry({ retryOn: ['unavailable'], numRetries: 2 })), 3);
    assert.equal(maxGrpcAttempts(retry({ retryOn: ['5xx'], numRetries: 3 })), 1);
  });
});

describe('backoffMs', () => {
  const p = retry({ baseIntervalMs: 25, maxIntervalMs: 150 });
  it('draws uniformly below base x 2^(attempt-1), capped at max (full jitter)', () => {
    assert.equal(backoffMs(1, p, () => 0.999999) < 25, true);
    assert.equal(backoffMs(1, p, () => 0.5), 12.5);
    assert.equal(backoffMs(2, p, () => 0.5), 25);
    assert.equal(backoffMs(3, p, () => 0.5), 50);
    assert.equal(backoffMs(4, p, () => 0.5), 75, 'capped at 150');
    assert.equal(backoffMs(10, p, () => 0.5), 75);
    assert.equal(backoffMs(1, p, () => 0), 0);
  });
  it('spreads retries over the whole window', () => {
    let max = 0;
    for (let i = 0; i < 1000; i++) max = Math.max(max, backoffMs(3, p));
    assert.ok(max > 90 && max < 100, `max ${max}`);
  });
});
