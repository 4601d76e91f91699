import { InvalidConfigError } from '../errors';
import type { RetryPolicy } from '../model/route-table';

/** Retries after the first attempt when a policy does not say (gRFC A44). */
export const DEFAULT_NUM_RETRIES = 1;
/** Initial backoff when a policy does not say (gRFC A44). */
export const DEFAULT_BASE_INTERVAL_MS = 25;
/** The default maximum backoff is this many times the base interval (gRFC A44). */
export const DEFAULT_MAX_INTERVAL_FACTOR = 10;
/** gRPC caps attempts (first try included) at this many, whatever `numRetries` says. */
export const MAX_GRPC_ATTEMPTS = 5;

/** A retry policy as a source reads it: every field optional, `retryOn` as a list or a comma string. */
export interface RetryPolicyInput {
  /** Conditions, as a list or Envoy's comma-separated string (`"5xx,reset"`). Default none. */
  readonly retryOn?: string | readonly string[];
  /** Retries after the first attempt; default 1. */
  readonly numRetries?: number;
  /** HTTP statuses retried under `retriable-status-codes`. Default none. */
  readonly retriableStatusCodes?: readonly number[];
  /** Initial backoff in ms; must be > 0 when given; default 25. */
  readonly baseIntervalMs?: number;
  /** Maximum backoff in ms, >= base; default 10 x base. */
  readonly maxIntervalMs?: number;
  /** Timeout of each attempt in ms; default none. */
  readonly perTryTimeoutMs?: number;
}

function checkMs(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidConfigError(field, `must be > 0 ms, got ${value}`);
  return Math.max(1, value); // A44: intervals below 1 ms count as 1 ms
}

/**
 * Fills a retry policy with the A44 defaults (1 retry, 25 ms base, 10 x base max; intervals below
 * 1 ms become 1 ms) and returns it frozen.
 * @param field the config field of the policy, named in errors.
 * @throws InvalidConfigError naming the field: base interval 0 or negative (Envoy and gRPC NACK
 * it), max below base, `numRetries` not an integer >= 0, a status code outside 100..599.
 */
export function normalizeRetryPolicy(input: RetryPolicyInput, field = 'retryPolicy'): RetryPolicy {
  const retryOnRaw = input.retryOn ?? [];
  const retryOn = (typeof retryOnRaw === 'string' ? retryOnRaw.split(',') : retryOnRaw)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const numRetries = input.numRetries ?? DEFAULT_NUM_RETRIES;
  const baseIntervalMs =
    input.baseIntervalMs === undefined ? DEFAULT_BASE_INTERVAL_MS : checkMs(input.baseIntervalMs, `${field}.baseIntervalMs`);
  const maxIntervalMs =
    input.maxIntervalMs === undefined
      ? baseIntervalMs * DEFAULT_MAX_INTERVAL_FACTOR
      : checkMs(input.maxIntervalMs, `${field}.maxIntervalMs`);
  const policy: RetryPolicy = {
    retryOn: Object.freeze(retryOn),
    numRetries,
    retriableStatusCodes: Object.freeze([...(input.retriableStatusCodes ?? [])]),
    baseIntervalMs,
    maxIntervalMs,
    ...(input.perTryTimeoutMs === undefined ? {} : { perTryTimeoutMs: input.perTryTimeoutMs }),
  };
  validateRetryPolicy(policy, field);
  return Object.freeze(policy);
}

/**
 * Checks a model retry policy.
 * @throws InvalidConfigError naming the field: `baseIntervalMs` not > 0, `maxIntervalMs` below
 * the base, `numRetries` not an integer >= 0, a status code outside 100..599, a negative
 * `perTryTimeoutMs`.
 */
export function validateRetryPolicy(policy: RetryPolicy, field: string): void {
  if (!Number.isInteger(policy.numRetries) || policy.numRetries < 0) {
    throw new InvalidConfigError(`${field}.numRetries`, `must be an integer >= 0, got ${policy.numRetries}`);
  }
  if (!(policy.baseIntervalMs > 0)) {
    throw new InvalidConfigError(`${field}.baseIntervalMs`, `must be > 0 ms, got ${policy.baseIntervalMs}`);
  }
  if (!(policy.maxIntervalMs >= policy.baseIntervalMs)) {
    throw new InvalidConfigError(
      `${field}.maxIntervalMs`,
      `must be >= baseIntervalMs (${policy.baseIntervalMs}), got ${policy.maxIntervalMs}`,
    );
  }
  policy.retriableStatusCodes.forEach((code, i) => {
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw new InvalidConfigError(`${field}.retriableStatusCodes[${i}]`, `must be an HTTP status 100..599, got ${code}`);
    }
  });
  if (policy.perTryTimeoutMs !== undefined && !(policy.perTryTimeoutMs >= 0)) {
    throw new InvalidConfigError(`${field}.perTryTimeoutMs`, `must be >= 0 ms, got ${policy.perTryTimeoutMs}`);
  }
}

/** Attempts an HTTP request may make under the policy, first try included (`numRetries + 1`). */
export function maxHttpAttempts(policy: RetryPolicy): number {
  return policy.numRetries + 1;
}

/**
 * Whether an HTTP response status is retried (Envoy `retry_on`): `5xx` (500..599), `gateway-error`
 * (502, 503, 504), `retriable-status-codes` (the policy's list).
 */
export function isRetriableHttpStatus(policy: RetryPolicy, status: number): boolean {
  const on = policy.retryOn;
  if (status >= 500 && status <= 599 && on.includes('5xx')) return true;
  if ((status === 502 || status === 503 || status === 504) && on.includes('gateway-error')) return true;
  return on.includes('retriable-status-codes') && policy.retriableStatusCodes.includes(status);
}

/** A failure before any response: reset stream/connection, failed connect, HTTP/2 REFUSED_STREAM. */
export type HttpFailureKind = 'reset' | 'connect-failure' | 'refused-stream';

/**
 * Whether a failure without a response is retried (Envoy `retry_on`): any of them under `5xx`,
 * `gateway-error` or `reset` (no response at all); a failed connect also under `connect-failure`;
 * a refused stream also under `refused-stream`.
 */
export function isRetriableHttpFailure(policy: RetryPolicy, failure: HttpFailureKind): boolean {
  const on = policy.retryOn;
  if (on.includes('5xx') || on.includes('gateway-error') || on.includes('reset')) return true;
  return on.includes(failure) && failure !== 'reset';
}

/** The gRPC status codes `retry_on` can name (gRFC A44); every other condition is ignored. */
export const GRPC_RETRY_CONDITIONS: Readonly<Record<string, number>> = Object.freeze({
  cancelled: 1,
  'deadline-exceeded': 4,
  'resource-exhausted': 8,
  internal: 13,
  unavailable: 14,
});

/**
 * The gRPC status codes the policy retries, ascending: `retry_on` filtered to `cancelled` (1),
 * `deadline-exceeded` (4), `resource-exhausted` (8), `internal` (13), `unavailable` (14).
 * Empty means no retries.
 */
export function retriableGrpcCodes(policy: RetryPolicy): readonly number[] {
  const codes = new Set<number>();
  for (const condition of policy.retryOn) {
    const code = GRPC_RETRY_CONDITIONS[condition];
    if (code !== undefined) codes.add(code);
  }
  return Object.freeze([...codes].sort((a, b) => a - b));
}

/**
 * Attempts a gRPC call may make under the policy, first try included: `numRetries + 1` capped at
 * 5 (`MAX_GRPC_ATTEMPTS`); 1 when no gRPC status is retriable.
 */
export function maxGrpcAttempts(policy: RetryPolicy): number {
  if (retriableGrpcCodes(policy).length === 0) return 1;
  return Math.min(policy.numRetries + 1, MAX_GRPC_ATTEMPTS);
}

/**
 * The delay before retry number `attempt` (1 for the first retry): exponential backoff with
 * multiplier 2 and full jitter, uniform in [0, min(base x 2^(attempt-1), max)) as gRFC A44.
 * @param random uniform in [0, 1); default `Math.random`.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(policy.baseIntervalMs * 2 ** exponent, policy.maxIntervalMs);
  return random() * ceiling;
}
