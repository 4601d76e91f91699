import { InvalidConfigError } from '../../errors';
import {
  CLUSTER_DEFAULTS,
  OUTLIER_DETECTION_DEFAULTS,
  type CircuitBreakerConfig,
  type Cluster,
  type DropOverload,
  type FailurePercentageEjection,
  type LbPolicy,
  type LbPolicyName,
  type LocalityEndpoints,
  type LocalityWeighting,
  type OutlierDetectionConfig,
  type PriorityLevel,
  type SuccessRateEjection,
} from '../../model/cluster';
import {
  createEndpoint,
  localityKey,
  type Endpoint,
  type HealthStatus,
  type Locality,
} from '../../model/endpoint';
import { ConfigReader, readList, type ConfigItem } from './config-reader';
import { MAX_DURATION_MS } from './route-schema';

const MAX_UINT32 = 4_294_967_295;
const MAX_RING_SIZE = 8_388_608;
/** Envoy's largest Maglev table size. */
const MAX_MAGLEV_TABLE = 5_000_011;
const HEALTH: readonly HealthStatus[] = ['UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'];
const ENDPOINT_KEYS = ['host', 'port', 'weight', 'health', 'locality', 'priority', 'labels', 'hashKey'];
const LOCALITY_KEYS = ['region', 'zone', 'subZone'];

/** The cluster fields that are policy rather than membership; subsets inherit them from their parent. */
export const CLUSTER_POLICY_KEYS = ['lbPolicy', 'localityWeighting', 'outlierDetection', 'circuitBreaker', 'dropOverloads', 'localityWeights'];

/** Everything about a cluster except its endpoints. */
export interface ClusterPolicy {
  readonly lbPolicy: LbPolicy;
  readonly localityWeighting: LocalityWeighting;
  readonly outlierDetection?: OutlierDetectionConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly dropOverloads: readonly DropOverload[];
  /** Locality weight by {@link localityKey}; localities not listed weigh 1. */
  readonly localityWeights: ReadonlyMap<string, number>;
}

/** The policy of a cluster that sets nothing. */
export const DEFAULT_CLUSTER_POLICY: ClusterPolicy = {
  lbPolicy: CLUSTER_DEFAULTS.lbPolicy,
  localityWeighting: CLUSTER_DEFAULTS.localityWeighting,
  circuitBreaker: CLUSTER_DEFAULTS.circuitBreaker,
  dropOverloads: [],
  localityWeights: new Map(),
};

/** Reads the policy fields of `r`; fields it leaves out come from `base`. */
export function readClusterPolicy(r: ConfigReader, base: ClusterPolicy = DEFAULT_CLUSTER_POLICY): ClusterPolicy {
  const outlierDetection = r.has('outlierDetection')
    ? readOutlierDetection(r.raw('outlierDetection'), r.pathOf('outlierDetection'))
    : base.outlierDetection;
  const cb = r.object('circuitBreaker', ['maxRequests']);
  return {
    lbPolicy: r.has('lbPolicy') ? readLbPolicy(r.raw('lbPolicy'), r.pathOf('lbPolicy')) : base.lbPolicy,
    localityWeighting: r.has('localityWeighting')
      ? readLocalityWeighting(r.raw('localityWeighting'), r.pathOf('localityWeighting'))
      : base.localityWeighting,
    ...(outlierDetection ? { outlierDetection } : {}),
    circuitBreaker: cb
      ? { maxRequests: cb.int('maxRequests', 0, MAX_UINT32) ?? CLUSTER_DEFAULTS.circuitBreaker.maxRequests }
      : base.circuitBreaker,
    dropOverloads: r.has('dropOverloads') ? readDropOverloads(r.raw('dropOverloads'), r.pathOf('dropOverloads')) : base.dropOverloads,
    localityWeights: r.has('localityWeights')
      ? readLocalityWeights(r.raw('localityWeights'), r.pathOf('localityWeights'))
      : base.localityWeights,
  };
}

const POLICY_ALIASES: Readonly<Record<string, LbPolicyName>> = {
  round_robin: 'round_robin',
  roundRobin: 'round_robin',
  weighted_round_robin: 'weighted_round_robin',
  weightedRoundRobin: 'weighted_round_robin',
  random: 'random',
  least_request: 'least_request',
  leastRequest: 'least_request',
  ring_hash: 'ring_hash',
  ringHash: 'ring_hash',
  maglev: 'maglev',
  pick_first: 'pick_first',
  pickFirst: 'pick_first',
};
const POLICY_OPTIONS: Readonly<Record<LbPolicyName, readonly string[]>> = {
  round_robin: [],
  weighted_round_robin: [],
  random: [],
  least_request: ['choiceCount'],
  ring_hash: ['minRingSize', 'maxRingSize', 'requestHashHeader'],
  maglev: ['tableSize'],
  pick_first: ['shuffleAddressList'],
};

/**
 * An LB policy: its name (`round_robin`, `ring_hash`, …; camelCase also accepted) or a mapping with
 * one key, the name, holding the policy's options: `{ ringHash: { minRingSize: 1024 } }`.
 */
export function readLbPolicy(value: unknown, path: string): LbPolicy {
  let written: string;
  let options: unknown = {};
  let optionsPath = path;
  if (typeof value === 'string') {
    written = value;
  } else {
    const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length !== 1) throw new InvalidConfigError(path, 'must be a policy name or a mapping with one key, the policy name');
    written = keys[0]!;
    options = (value as Record<string, unknown>)[written] ?? {};
    optionsPath = `${path}.${written}`;
  }
  const name = Object.hasOwn(POLICY_ALIASES, written) ? POLICY_ALIASES[written] : undefined;
  if (!name) {
    throw new InvalidConfigError(path, `unknown policy "${written}" (expected one of: ${[...new Set(Object.values(POLICY_ALIASES))].join(', ')})`);
  }
  const o = new ConfigReader(options, optionsPath, POLICY_OPTIONS[name]);
  switch (name) {
    case 'least_request':
      return { name, choiceCount: o.int('choiceCount', 2, 10) ?? CLUSTER_DEFAULTS.leastRequestChoiceCount };
    case 'ring_hash': {
      const minRingSize = o.int('minRingSize', 1, MAX_RING_SIZE) ?? CLUSTER_DEFAULTS.ringHash.minRingSize;
      const maxRingSize = o.int('maxRingSize', 1, MAX_RING_SIZE) ?? Math.max(CLUSTER_DEFAULTS.ringHash.maxRingSize, minRingSize);
      if (minRingSize > maxRingSize) throw new InvalidConfigError(o.pathOf('minRingSize'), 'must be <= maxRingSize');
      const header = o.string('requestHashHeader');
      return { name, minRingSize, maxRingSize, ...(header ? { requestHashHeader: header.toLowerCase() } : {}) };
    }
    case 'maglev': {
      const tableSize = o.int('tableSize', 2, MAX_MAGLEV_TABLE) ?? CLUSTER_DEFAULTS.maglevTableSize;
      if (!isPrime(tableSize)) throw new InvalidConfigError(o.pathOf('tableSize'), 'must be a prime number');
      return { name, tableSize };
    }
    case 'pick_first':
      return { name, shuffleAddressList: o.bool('shuffleAddressList') ?? false };
    default:
      return { name };
  }
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function readLocalityWeighting(value: unknown, path: string): LocalityWeighting {
  const r = new ConfigReader(value, path, ['mode', 'overprovisioningFactor']);
  const mode = r.string('mode') ?? CLUSTER_DEFAULTS.localityWeighting.mode;
  if (mode !== 'grpc' && mode !== 'envoy') throw new InvalidConfigError(r.pathOf('mode'), 'must be "grpc" or "envoy"');
  return {
    mode,
    overprovisioningFactor: r.int('overprovisioningFactor', 1, MAX_UINT32) ?? CLUSTER_DEFAULTS.localityWeighting.overprovisioningFactor,
  };
}

/**
 * Outlier detection with A50 names and defaults. `successRateEjection` is on with defaults unless
 * set to `false` (as in xDS, where it is enforced by default); `failurePercentageEjection` is off
 * unless given, and when given its `enforcementPercentage` defaults to 100.
 */
export function readOutlierDetection(value: unknown, path: string): OutlierDetectionConfig {
  const r = new ConfigReader(value, path, [
    'intervalMs',
    'baseEjectionTimeMs',
    'maxEjectionTimeMs',
    'maxEjectionPercent',
    'successRateEjection',
    'failurePercentageEjection',
  ]);
  const d = OUTLIER_DETECTION_DEFAULTS;
  const baseEjectionTimeMs = r.int('baseEjectionTimeMs', 1, MAX_DURATION_MS) ?? d.baseEjectionTimeMs;
  const sr = r.raw('successRateEjection');
  const fp = r.raw('failurePercentageEjection');
  const successRateEjection = sr === false ? undefined : readSuccessRate(sr ?? {}, r.pathOf('successRateEjection'));
  const failurePercentageEjection =
    fp === undefined || fp === false ? undefined : readFailurePercentage(fp, r.pathOf('failurePercentageEjection'));
  return {
    intervalMs: r.int('intervalMs', 1, MAX_DURATION_MS) ?? d.intervalMs,
    baseEjectionTimeMs,
    maxEjectionTimeMs: r.int('maxEjectionTimeMs', 1, MAX_DURATION_MS) ?? Math.max(d.maxEjectionTimeMs, baseEjectionTimeMs),
    maxEjectionPercent: r.int('maxEjectionPercent', 0, 100) ?? d.maxEjectionPercent,
    ...(successRateEjection ? { successRateEjection } : {}),
    ...(failurePercentageEjection ? { failurePercentageEjection } : {}),
  };
}

function readSuccessRate(value: unknown, path: string): SuccessRateEjection {
  const r = new ConfigReader(value, path, ['stdevFactor', 'enforcementPercentage', 'minimumHosts', 'requestVolume']);
  const d = OUTLIER_DETECTION_DEFAULTS.successRate;
  return {
    stdevFactor: r.int('stdevFactor', 0, MAX_UINT32) ?? d.stdevFactor,
    enforcementPercentage: r.int('enforcementPercentage', 0, 100) ?? d.enforcementPercentage,
    minimumHosts: r.int('minimumHosts', 0, MAX_UINT32) ?? d.minimumHosts,
    requestVolume: r.int('requestVolume', 0, MAX_UINT32) ?? d.requestVolume,
  };
}

function readFailurePercentage(value: unknown, path: string): FailurePercentageEjection {
  const r = new ConfigReader(value, path, ['threshold', 'enforcementPercentage', 'minimumHosts', 'requestVolume']);
  const d = OUTLIER_DETECTION_DEFAULTS.failurePercentage;
  return {
    threshold: r.int('threshold', 0, 100) ?? d.threshold,
    // Writing the block means "use it": A50's LB config defaults enforcement to 100 (xDS's 0 means off).
    enforcementPercentage: r.int('enforcementPercentage', 0, 100) ?? 100,
    minimumHosts: r.int('minimumHosts', 0, MAX_UINT32) ?? d.minimumHosts,
    requestVolume: r.int('requestVolume', 0, MAX_UINT32) ?? d.requestVolume,
  };
}

function readDropOverloads(value: unknown, path: string): DropOverload[] {
  const categories = new Set<string>();
  return readList(value, path).map((item) => {
    const r = new ConfigReader(item.value, item.path, ['category', 'percent', 'perMillion']);
    const category = r.requiredString('category');
    if (categories.has(category)) throw new InvalidConfigError(r.pathOf('category'), `duplicate category "${category}"`);
    categories.add(category);
    if (r.has('percent') === r.has('perMillion')) throw new InvalidConfigError(item.path, 'set exactly one of percent, perMillion');
    const perMillion = r.int('perMillion', 0, 1_000_000);
    const percent = r.number('percent', 0, 100);
    return { category, dropPerMillion: perMillion ?? Math.round(percent! * 10_000) };
  });
}

function readLocalityWeights(value: unknown, path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of readList(value, path)) {
    const r = new ConfigReader(item.value, item.path, [...LOCALITY_KEYS, 'weight']);
    const key = localityKey(readLocality(r));
    if (out.has(key)) throw new InvalidConfigError(item.path, `duplicate locality "${key}"`);
    const weight = r.int('weight', 1, MAX_UINT32);
    if (weight === undefined) throw new InvalidConfigError(r.pathOf('weight'), 'is required');
    out.set(key, weight);
  }
  return out;
}

function readLocality(r: ConfigReader): Locality {
  return { region: r.string('region', false) ?? '', zone: r.string('zone', false) ?? '', subZone: r.string('subZone', false) ?? '' };
}

/**
 * A list of endpoints: `"host:port"` strings (`"[::1]:8080"` for IPv6) or mappings with `host`,
 * `port`, `weight` (default 1), `health` (default UNKNOWN), `locality`, `priority`, `labels`,
 * `hashKey`. Addresses must be unique.
 */
export function readEndpoints(value: unknown, path: string): Endpoint[] {
  const seen = new Set<string>();
  return readList(value, path).map((item) => {
    const endpoint = readEndpoint(item);
    if (seen.has(endpoint.address)) throw new InvalidConfigError(item.path, `duplicate endpoint ${endpoint.address}`);
    seen.add(endpoint.address);
    return endpoint;
  });
}

function readEndpoint(item: ConfigItem): Endpoint {
  if (typeof item.value === 'string') {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(item.value);
    if (!m) throw new InvalidConfigError(item.path, 'must be "host:port" ("[ipv6]:port") or a mapping');
    const port = Number(m[3]);
    if (port < 1 || port > 65_535) throw new InvalidConfigError(item.path, `port must be 1..65535, got ${m[3]}`);
    return createEndpoint({ host: m[1] ?? m[2]!, port });
  }
  const r = new ConfigReader(item.value, item.path, ENDPOINT_KEYS);
  const host = r.requiredString('host');
  if (/[\s[\]/]/.test(host)) throw new InvalidConfigError(r.pathOf('host'), 'must be an IP address or host name (IPv6 without brackets)');
  const port = r.int('port', 1, 65_535);
  if (port === undefined) throw new InvalidConfigError(r.pathOf('port'), 'is required');
  let health: HealthStatus | undefined;
  const writtenHealth = r.string('health');
  if (writtenHealth !== undefined) {
    health = HEALTH.find((h) => h === writtenHealth.toUpperCase());
    if (!health) throw new InvalidConfigError(r.pathOf('health'), `must be one of ${HEALTH.join(', ')}`);
  }
  const locality = r.object('locality', LOCALITY_KEYS);
  const weight = r.int('weight', 1, MAX_UINT32);
  const priority = r.int('priority', 0, 65_535);
  const labels = r.stringMap('labels');
  const hashKey = r.string('hashKey');
  return createEndpoint({
    host,
    port,
    ...(weight === undefined ? {} : { weight }),
    ...(health === undefined ? {} : { health }),
    ...(locality ? { locality: readLocality(locality) } : {}),
    ...(priority === undefined ? {} : { priority }),
    ...(labels ? { labels } : {}),
    ...(hashKey === undefined ? {} : { hashKey }),
  });
}

/**
 * Groups endpoints into priorities and localities and builds the cluster. With `compactPriorities`
 * (subsets, where filtering can leave gaps) the priorities present are renumbered from 0 in order;
 * otherwise a gap is an error at `path`.
 */
export function buildCluster(
  name: string,
  endpoints: readonly Endpoint[],
  policy: ClusterPolicy,
  path: string,
  compactPriorities = false,
): Cluster {
  const byPriority = new Map<number, Map<string, { locality: Locality; endpoints: Endpoint[] }>>();
  for (const e of endpoints) {
    let localities = byPriority.get(e.priority);
    if (!localities) byPriority.set(e.priority, (localities = new Map()));
    const key = localityKey(e.locality);
    let group = localities.get(key);
    if (!group) localities.set(key, (group = { locality: e.locality, endpoints: [] }));
    group.endpoints.push(e);
  }
  const levels = [...byPriority.keys()].sort((a, b) => a - b);
  if (!compactPriorities) {
    levels.forEach((p, i) => {
      if (p !== i) throw new InvalidConfigError(`${path}.endpoints`, `priorities must be contiguous from 0 (missing priority ${i})`);
    });
  }
  const used = new Set<string>();
  const priorities: PriorityLevel[] = levels.map((p, i) => ({
    priority: i,
    localities: [...byPriority.get(p)!.entries()].map(([key, g]): LocalityEndpoints => {
      used.add(key);
      return { locality: g.locality, weight: policy.localityWeights.get(key) ?? 1, endpoints: g.endpoints };
    }),
  }));
  if (!compactPriorities) {
    for (const key of policy.localityWeights.keys()) {
      if (!used.has(key)) throw new InvalidConfigError(`${path}.localityWeights`, `locality "${key}" has no endpoints`);
    }
  }
  return {
    name,
    priorities,
    lbPolicy: policy.lbPolicy,
    localityWeighting: policy.localityWeighting,
    ...(policy.outlierDetection ? { outlierDetection: policy.outlierDetection } : {}),
    circuitBreaker: policy.circuitBreaker,
    dropOverloads: policy.dropOverloads,
  };
}

/** Whether an endpoint carries every label of the subset selector. */
export function matchesSubset(endpoint: Endpoint, selector: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (endpoint.labels[key] !== selector[key]) return false;
  return true;
}
