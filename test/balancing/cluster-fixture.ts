import { CLUSTER_DEFAULTS, type Cluster, type LbPolicy, type LocalityEndpoints, type PriorityLevel } from '../../src/model/cluster';
import { createEndpoint, type Endpoint, type EndpointInit } from '../../src/model/endpoint';
import type { ClusterBalancer } from '../../src/balancing/balancer';
import type { PickerEntry } from '../../src/balancing/endpoint-picker';

/** Deterministic uniform [0, 1) generator (mulberry32) so statistical tests never flake. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `10.0.<third>.<n>:8080` endpoints. */
export function endpoints(count: number, init: Partial<EndpointInit> & { third?: number } = {}): Endpoint[] {
  const { third = 0, ...rest } = init;
  return Array.from({ length: count }, (_, i) => createEndpoint({ host: `10.0.${third}.${i + 1}`, port: 8080, ...rest }));
}

/** A locality `zone` of weight `weight`. */
export function locality(zone: string, weight: number, eps: Endpoint[]): LocalityEndpoints {
  return { locality: { region: 'r', zone, subZone: '' }, weight, endpoints: eps };
}

/** A cluster named `c` with the given priorities (lists of localities) and overrides. */
export function cluster(priorities: LocalityEndpoints[][], over: Partial<Cluster> = {}): Cluster {
  const levels: PriorityLevel[] = priorities.map((localities, priority) => ({ priority, localities }));
  return {
    name: 'c',
    priorities: levels,
    lbPolicy: CLUSTER_DEFAULTS.lbPolicy,
    localityWeighting: CLUSTER_DEFAULTS.localityWeighting,
    circuitBreaker: CLUSTER_DEFAULTS.circuitBreaker,
    dropOverloads: [],
    ...over,
  };
}

/** A cluster with one priority and one locality. */
export function flatCluster(eps: Endpoint[], lbPolicy?: LbPolicy, over: Partial<Cluster> = {}): Cluster {
  return cluster([[locality('z', 1, eps)]], { ...(lbPolicy ? { lbPolicy } : {}), ...over });
}

/** Picks `n` times (releasing each pick at once with success) and counts picks per address. */
export function countPicks(
  balancer: ClusterBalancer,
  n: number,
  hash: (i: number) => bigint | undefined = () => undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = balancer.pick(hash(i), undefined);
    const key = r.ok ? r.endpoint.address : r.code;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (r.ok) balancer.release(r, { ok: true });
  }
  return counts;
}

/** Picker entries over `10.0.0.x:8080` with mutable load, for policy unit tests. */
export function pickerEntries(weights: number[]): Array<PickerEntry & { load: { outstanding: number; ejected: boolean } }> {
  return weights.map((weight, i) => ({
    endpoint: createEndpoint({ host: `10.0.0.${i + 1}`, port: 8080, weight }),
    weight,
    load: { outstanding: 0, ejected: false },
  }));
}

/** Picks `n` times from a picker and counts by entry index. */
export function countIndexes(pick: (i: number) => number, size: number, n: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < n; i++) {
    const idx = pick(i);
    counts[idx] = counts[idx]! + 1;
  }
  return counts;
}
