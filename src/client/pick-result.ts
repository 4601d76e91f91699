import type { CallOutcome, ClusterBalancer, EndpointPick } from '../balancing/balancer';
import type { ErrorCode } from '../errors';
import type { Endpoint } from '../model/endpoint';
import type { RetryPolicy, Route } from '../model/route-table';

/** Why a pick failed. Plain data (no stack): picks are on the hot path. */
export interface PickError {
  /** Stable code, one of {@link ErrorCode}. */
  readonly code: ErrorCode;
  readonly message: string;
}

/** A failed pick. The object may be shared between picks; never mutate it. */
export interface PickFailure {
  readonly ok: false;
  readonly error: PickError;
}

/** What the chosen route asks of the caller (integrations apply it). */
export interface RoutePolicy {
  /** The route as configured. */
  readonly route: Route;
  /** Request timeout in ms, undefined for none. */
  readonly timeoutMs: number | undefined;
  /** The route's retry policy, else its virtual host's. */
  readonly retryPolicy: RetryPolicy | undefined;
}

/** A successful pick. Call {@link PickSuccess.done} exactly once when the call ends. */
export interface PickSuccess {
  readonly ok: true;
  /** Where to send the request. */
  readonly endpoint: Endpoint;
  /** The chosen cluster's name. */
  readonly cluster: string;
  /** The matched route's policy. */
  readonly policy: RoutePolicy;
  /**
   * Reports the call's end: feeds outlier detection, least_request and the circuit breaker. Further
   * calls are ignored. Safe to call detached (`const { done } = pick`).
   */
  readonly done: (outcome?: CallOutcome) => void;
}

/** The result of `MeshClient.pick`. */
export type PickResult = PickSuccess | PickFailure;

const OK_OUTCOME: CallOutcome = Object.freeze({ ok: true });

/** Builds the success object; `done` releases the balancer's pick once. */
export function createPickSuccess(
  balancer: ClusterBalancer,
  pick: EndpointPick,
  policy: RoutePolicy,
  onDone: ((cluster: string, outcome: CallOutcome) => void) | undefined,
): PickSuccess {
  let released = false;
  return {
    ok: true,
    endpoint: pick.endpoint,
    cluster: balancer.name,
    policy,
    done: (outcome: CallOutcome = OK_OUTCOME) => {
      if (released) return;
      released = true;
      balancer.release(pick, outcome);
      if (onDone !== undefined) onDone(balancer.name, outcome);
    },
  };
}

/** A frozen failure result. */
export function pickFailure(code: ErrorCode, message: string): PickFailure {
  return Object.freeze({ ok: false as const, error: Object.freeze({ code, message }) });
}
