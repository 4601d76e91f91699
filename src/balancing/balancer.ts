import type { Cluster } from '../model/cluster';
import type { Endpoint } from '../model/endpoint';
import type { HeaderBag } from '../routing/request-context';

/** A committed pick: the endpoint, counted as in flight until released. */
export interface EndpointPick {
  readonly ok: true;
  readonly endpoint: Endpoint;
}

/** Why a cluster could not give an endpoint. Instances are shared and frozen; never mutate. */
export interface ClusterPickFailure {
  readonly ok: false;
  readonly code: 'MESH_ERR_NO_ENDPOINT' | 'MESH_ERR_OVERLOADED' | 'MESH_ERR_DROPPED';
  readonly message: string;
}

/** How a call that used a picked endpoint ended. */
export interface CallOutcome {
  /** The call succeeded (gRPC OK, HTTP < 500 by default). */
  readonly ok: boolean;
  /** Time from pick to completion. */
  readonly latencyMs?: number;
  /** HTTP status or gRPC status code, for stats. */
  readonly status?: number;
}

/** Counters of one cluster, for dumps and metrics. */
export interface ClusterStats {
  readonly cluster: string;
  readonly inFlight: number;
  readonly requestsTotal: number;
  readonly failuresTotal: number;
  readonly droppedTotal: number;
  readonly overloadedTotal: number;
  readonly noEndpointTotal: number;
  readonly latencyMsSum: number;
  /** Endpoints currently ejected by outlier detection. */
  readonly ejected: readonly string[];
}

/**
 * The long-lived balancer of one cluster. It reacts to updates (keeping per-endpoint state such as
 * outlier counters and outstanding requests across updates, keyed by address) and answers picks
 * synchronously. `pick` never throws and allocates nothing it can avoid.
 */
export interface ClusterBalancer {
  readonly name: string;
  /** Whether picks need a request hash (ring_hash, maglev). */
  readonly usesRequestHash: boolean;
  /** Applies a new version of the cluster. */
  update(cluster: Cluster): void;
  /**
   * drop_overloads → circuit breaker → priority → locality → endpoint. On success the endpoint's
   * and the cluster's in-flight counts are incremented; the caller must call {@link release} once.
   * @param requestHash 64-bit request hash for hash policies; undefined ⇒ random where one is needed.
   * @param headers request headers, for A76 `requestHashHeader`.
   */
  pick(requestHash: bigint | undefined, headers: HeaderBag | undefined): EndpointPick | ClusterPickFailure;
  /** Reports the end of a picked call: feeds outlier detection, least_request and the circuit breaker. */
  release(pick: EndpointPick, outcome: CallOutcome): void;
  stats(): ClusterStats;
  /** Stops timers (outlier detection). */
  close(): void;
}
