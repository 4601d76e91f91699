import { ErrorCode } from '../errors';
import type { ClusterPickFailure } from './balancer';

/** The three frozen failures of one cluster, built once so that a failed pick allocates nothing. */
export interface PickFailures {
  readonly noEndpoint: ClusterPickFailure;
  readonly overloaded: ClusterPickFailure;
  readonly dropped: ClusterPickFailure;
}

/** Builds the shared failure results of cluster `name`. */
export function createPickFailures(name: string): PickFailures {
  const failure = (code: ClusterPickFailure['code'], why: string): ClusterPickFailure =>
    Object.freeze({ ok: false as const, code, message: `cluster "${name}": ${why}` });
  return Object.freeze({
    noEndpoint: failure(ErrorCode.NO_ENDPOINT, 'no usable endpoint (none healthy, or all ejected)'),
    overloaded: failure(ErrorCode.OVERLOADED, 'circuit breaker open (maxRequests calls in flight)'),
    dropped: failure(ErrorCode.DROPPED, 'request dropped by drop_overloads'),
  });
}
