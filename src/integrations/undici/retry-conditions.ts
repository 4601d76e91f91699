import type { RetryPolicy } from '../../model/route-table';

/** How an attempt failed before a response arrived, in the terms of Envoy's `retry_on` conditions. */
export type AttemptFailureKind = 'connect-failure' | 'refused-stream' | 'reset' | 'per-try-timeout';

// System and undici error codes meaning the connection was never established.
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Classifies a transport error of one attempt. `connected` tells whether the request reached a
 * socket; anything failing after that without a response is a reset (Envoy's "disconnect/reset/read
 * timeout").
 */
export function classifyAttemptError(error: Error, connected: boolean): AttemptFailureKind {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECT_FAILURE_CODES.has(code)) return 'connect-failure';
  if (code === 'ERR_HTTP2_STREAM_ERROR' && error.message.includes('REFUSED_STREAM')) return 'refused-stream';
  if (!connected && code === 'ETIMEDOUT') return 'connect-failure';
  return 'reset';
}

/**
 * Whether `retry_on` asks to retry an attempt that failed without a response. `5xx` and
 * `gateway-error` include every such failure, as in Envoy (a local reply would be 503/504).
 */
export function retriesFailure(policy: RetryPolicy, kind: AttemptFailureKind): boolean {
  for (const condition of policy.retryOn) {
    if (condition === '5xx' || condition === 'gateway-error') return true;
    if (condition === 'reset' && kind !== 'connect-failure') return true;
    if (condition === kind) return true;
  }
  return false;
}

/** Whether `retry_on` asks to retry a response with this HTTP status. */
export function retriesStatus(policy: RetryPolicy, status: number): boolean {
  for (const condition of policy.retryOn) {
    if (condition === '5xx' && status >= 500 && status <= 599) return true;
    if (condition === 'gateway-error' && (status === 502 || status === 503 || status === 504)) return true;
    if (condition === 'retriable-status-codes' && policy.retriableStatusCodes.includes(status)) return true;
  }
  return false;
}

/**
 * Back-off before retry number `retry` (1-based): exponential from the base interval, capped at the
 * max interval, with full jitter (Envoy: a random wait in [0, min(base * 2^(retry-1), max)]).
 */
export function retryBackoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.baseIntervalMs * 2 ** Math.min(retry - 1, 30), policy.maxIntervalMs);
  return Math.floor(random() * ceiling);
}
