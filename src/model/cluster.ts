import type { Endpoint, Locality } from './endpoint';

/** The endpoints of one locality within one priority. */
export interface LocalityEndpoints {
  readonly locality: Locality;
  /** Locality weight (>= 1). Localities a source reports with weight 0 are left out by the source. */
  readonly weight: number;
  readonly endpoints: readonly Endpoint[];
}

/** All localities of one priority. */
export interface PriorityLevel {
  /** 0 is the highest; levels are contiguous from 0. */
  readonly priority: number;
  readonly localities: readonly LocalityEndpoints[];
}

/** Round robin from a random start; endpoint weights ignored (xds-reference §5.3). */
export interface RoundRobinPolicy {
  readonly name: 'round_robin';
}
/** Smooth weighted round robin by endpoint weight. */
export interface WeightedRoundRobinPolicy {
  readonly name: 'weighted_round_robin';
}
/** Uniform random choice among usable endpoints, weighted by endpoint weight. */
export interface RandomPolicy {
  readonly name: 'random';
}
/** Power-of-choices least outstanding requests (A48). */
export interface LeastRequestPolicy {
  readonly name: 'least_request';
  /** Endpoints sampled per pick, 2..10 (default 2). */
  readonly choiceCount: number;
}
/** Consistent hashing on a ring (A42). */
export interface RingHashPolicy {
  readonly name: 'ring_hash';
  /** Default 1024. */
  readonly minRingSize: number;
  /** Default 8,388,608. */
  readonly maxRingSize: number;
  /** A76: hash this request header when no route hash policy produced a hash. */
  readonly requestHashHeader?: string;
}
/** Maglev consistent hashing. */
export interface MaglevPolicy {
  readonly name: 'maglev';
  /** Prime table size, default 65537. */
  readonly tableSize: number;
}
/** First usable endpoint in order (A62). */
export interface PickFirstPolicy {
  readonly name: 'pick_first';
  readonly shuffleAddressList: boolean;
}

/** The endpoint-picking policy of a cluster. */
export type LbPolicy =
  | RoundRobinPolicy
  | WeightedRoundRobinPolicy
  | RandomPolicy
  | LeastRequestPolicy
  | RingHashPolicy
  | MaglevPolicy
  | PickFirstPolicy;

/** Name of an {@link LbPolicy}. */
export type LbPolicyName = LbPolicy['name'];

/** Success-rate ejection (A50). */
export interface SuccessRateEjection {
  /** Stdev factor in thousandths: 1900 means 1.9. */
  readonly stdevFactor: number;
  /** Percent 0..100 chance to enforce an ejection. */
  readonly enforcementPercentage: number;
  readonly minimumHosts: number;
  readonly requestVolume: number;
}

/** Failure-percentage ejection (A50). */
export interface FailurePercentageEjection {
  /** Percent 0..100; an endpoint whose failure percentage exceeds it is a candidate. */
  readonly threshold: number;
  readonly enforcementPercentage: number;
  readonly minimumHosts: number;
  readonly requestVolume: number;
}

/** Outlier detection (A50). Defaults in xds-reference §8. */
export interface OutlierDetectionConfig {
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionTimeMs: number;
  /** 0..100 */
  readonly maxEjectionPercent: number;
  readonly successRateEjection?: SuccessRateEjection;
  readonly failurePercentageEjection?: FailurePercentageEjection;
}

/** Circuit breaking (A32): only max concurrent requests. */
export interface CircuitBreakerConfig {
  /** Default 1024. */
  readonly maxRequests: number;
}

/** One drop_overloads category: drop this share of requests before picking an endpoint. */
export interface DropOverload {
  readonly category: string;
  /** Parts per million, 0..1,000,000. */
  readonly dropPerMillion: number;
}

/** How traffic is split across priorities and localities (xds-reference §5.2). */
export interface LocalityWeighting {
  /** `grpc` (default): lowest usable priority, localities by weight. `envoy`: overprovisioning math. */
  readonly mode: 'grpc' | 'envoy';
  /** Envoy mode only, in percent (default 140). */
  readonly overprovisioningFactor: number;
}

/** A set of endpoints with a balancing policy. Immutable. */
export interface Cluster {
  readonly name: string;
  /** Priorities sorted by level, contiguous from 0. */
  readonly priorities: readonly PriorityLevel[];
  readonly lbPolicy: LbPolicy;
  readonly localityWeighting: LocalityWeighting;
  /** Absent: no ejection. */
  readonly outlierDetection?: OutlierDetectionConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly dropOverloads: readonly DropOverload[];
}

/** Defaults used when a source leaves a cluster field out. */
export const CLUSTER_DEFAULTS = Object.freeze({
  lbPolicy: Object.freeze({ name: 'round_robin' }) as LbPolicy,
  localityWeighting: Object.freeze({ mode: 'grpc', overprovisioningFactor: 140 }) as LocalityWeighting,
  circuitBreaker: Object.freeze({ maxRequests: 1024 }) as CircuitBreakerConfig,
  leastRequestChoiceCount: 2,
  ringHash: Object.freeze({ minRingSize: 1024, maxRingSize: 8_388_608 }),
  maglevTableSize: 65_537,
});

/** Outlier-detection defaults (A50). */
export const OUTLIER_DETECTION_DEFAULTS = Object.freeze({
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 10,
  successRate: Object.freeze({ stdevFactor: 1900, enforcementPercentage: 100, minimumHosts: 5, requestVolume: 100 }),
  failurePercentage: Object.freeze({ threshold: 85, enforcementPercentage: 0, minimumHosts: 5, requestVolume: 50 }),
});

/** Every endpoint of the cluster, across priorities and localities. */
export function allEndpoints(cluster: Cluster): Endpoint[] {
  const out: Endpoint[] = [];
  for (const level of cluster.priorities) for (const l of level.localities) for (const e of l.endpoints) out.push(e);
  return out;
}

/** Fields accepted by {@link createCluster}; everything but the name has a default. */
export interface ClusterInit {
  name: string;
  /** Endpoints grouped already, or a flat list grouped by {@link groupEndpoints}. */
  priorities?: readonly PriorityLevel[];
  endpoints?: readonly Endpoint[];
  lbPolicy?: LbPolicy;
  localityWeighting?: LocalityWeighting;
  outlierDetection?: OutlierDetectionConfig;
  circuitBreaker?: CircuitBreakerConfig;
  dropOverloads?: readonly DropOverload[];
}

/** Builds a frozen {@link Cluster}, filling defaults. */
export function createCluster(init: ClusterInit): Cluster {
  const cluster: Cluster = {
    name: init.name,
    priorities: init.priorities ?? groupEndpoints(init.endpoints ?? []),
    lbPolicy: init.lbPolicy ?? CLUSTER_DEFAULTS.lbPolicy,
    localityWeighting: init.localityWeighting ?? CLUSTER_DEFAULTS.localityWeighting,
    ...(init.outlierDetection ? { outlierDetection: init.outlierDetection } : {}),
    circuitBreaker: init.circuitBreaker ?? CLUSTER_DEFAULTS.circuitBreaker,
    dropOverloads: init.dropOverloads ?? [],
  };
  return Object.freeze(cluster);
}

/**
 * Groups a flat endpoint list by priority, then locality (in first-seen order). Priorities are
 * renumbered to be contiguous from 0 in ascending order; a locality's weight is the given one for
 * its key (`region/zone/subZone`) or 1.
 */
export function groupEndpoints(endpoints: readonly Endpoint[], localityWeights?: ReadonlyMap<string, number>): PriorityLevel[] {
  const byPriority = new Map<number, Map<string, { locality: Locality; endpoints: Endpoint[] }>>();
  for (const e of endpoints) {
    let localities = byPriority.get(e.priority);
    if (localities === undefined) byPriority.set(e.priority, (localities = new Map()));
    const key = `${e.locality.region}/${e.locality.zone}/${e.locality.subZone}`;
    let group = localities.get(key);
    if (group === undefined) localities.set(key, (group = { locality: e.locality, endpoints: [] }));
    group.endpoints.push(e);
  }
  return [...byPriority.keys()]
    .sort((a, b) => a - b)
    .map((p, index) =>
      Object.freeze({
        priority: index,
        localities: Object.freeze(
          [...byPriority.get(p)!.entries()].map(([key, g]) =>
            Object.freeze({ locality: g.locality, weight: localityWeights?.get(key) ?? 1, endpoints: Object.freeze(g.endpoints) }),
          ),
        ),
      }),
    );
}
