import type { RetryPolicy } from '../../model/route-table';
import { maxGrpcAttempts, retriableGrpcCodes } from '../../routing/retry-policy';
import type { GrpcRetryPolicy } from './grpc-js-compat';

/** A6 backoff multiplier; gRFC A44 fixes it at 2 for xDS retry policies. */
const BACKOFF_MULTIPLIER = 2;

/** A duration in ms as a service-config duration string: `25` → `"0.025s"`. */
function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

/**
 * A route's retry policy as the A6 `retryPolicy` of a grpc-js method config (gRFC A44 mapping):
 * `retryOn` → `retryableStatusCodes` (only `cancelled`, `deadline-exceeded`, `internal`,
 * `resource-exhausted`, `unavailable` count), `numRetries + 1` → `maxAttempts` (capped at 5),
 * `baseIntervalMs` → `initialBackoff`, `maxIntervalMs` → `maxBackoff`, multiplier 2.
 * `perTryTimeoutMs` and `retriableStatusCodes` have no gRPC meaning and are ignored.
 * Undefined when the policy allows no retry (no policy, no gRPC condition, `numRetries` 0).
 */
export function grpcRetryPolicy(policy: RetryPolicy | undefined): GrpcRetryPolicy | undefined {
  if (policy === undefined) return undefined;
  const maxAttempts = maxGrpcAttempts(policy);
  if (maxAttempts < 2) return undefined;
  return {
    maxAttempts,
    initialBackoff: seconds(policy.baseIntervalMs),
    maxBackoff: seconds(policy.maxIntervalMs),
    backoffMultiplier: BACKOFF_MULTIPLIER,
    retryableStatusCodes: [...retriableGrpcCodes(policy)],
  };
}
