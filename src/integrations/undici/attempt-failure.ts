import type { HttpFailureKind } from '../../routing/retry-policy';

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
 * Classifies a transport error of one attempt in the terms of Envoy's `retry_on`. `connected`
 * tells whether undici put the request on a connection; anything failing after that without a
 * response is a reset ("disconnect/reset/read timeout").
 */
export function classifyAttemptError(error: Error, connected: boolean): HttpFailureKind {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECT_FAILURE_CODES.has(code)) return 'connect-failure';
  if (code === 'ERR_HTTP2_STREAM_ERROR' && error.message.includes('REFUSED_STREAM')) return 'refused-stream';
  if (!connected && code === 'ETIMEDOUT') return 'connect-failure';
  return 'reset';
}
