import { ErrorCode, MeshError } from '../errors';
import type {
  Cluster,
  DropOverload,
  FailurePercentageEjection,
  LbPolicy,
  LocalityEndpoints,
  LocalityWeighting,
  OutlierDetectionConfig,
  PriorityLevel,
  SuccessRateEjection,
} from '../model/cluster';
import { createEndpoint, formatAddress, type Endpoint, type HealthStatus, type Locality } from '../model/endpoint';
import { freezeSnapshot } from '../model/freeze-snapshot';
import type { Listener } from '../model/listener';
import type { MeshSnapshot } from '../model/mesh-snapshot';
import type {
  ClusterWeight,
  HashPolicy,
  HeaderMatch,
  HeaderMatcher,
  PathMatcher,
  QueryParameterMatcher,
  RetryPolicy,
  Route,
  RouteAction,
  RouteMatch,
  RouteTable,
  StringMatcher,
  VirtualHost,
} from '../model/route-table';
import {
  bigintString,
  bool,
  corrupt,
  int,
  isObject,
  list,
  literal,
  optional,
  record,
  str,
  stringRecord,
  tagged,
  type Shape,
} from './json-shape';

/** Identifies a sidecarless snapshot file. */
export const SNAPSHOT_FORMAT = 'sidecarless.snapshot';
/** Version of the on-disk layout; a file of another version is ignored (treated as corrupt). */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** The JSON document a snapshot is stored as. Maps become lists (names are inside the values). */
export interface SnapshotJson {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly formatVersion: number;
  /** The key of the source the snapshot came from. */
  readonly sourceKey: string;
  /** When it was saved, ISO 8601. */
  readonly savedAt: string;
  readonly version: string;
  readonly listeners: readonly unknown[];
  readonly routeTables: readonly unknown[];
  readonly clusters: readonly unknown[];
}

/** Encodes a snapshot as JSON text; bigint header-range bounds become decimal strings. */
export function encodeSnapshot(snapshot: MeshSnapshot, sourceKey: string, savedAt = new Date()): string {
  const doc: SnapshotJson = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    sourceKey,
    savedAt: savedAt.toISOString(),
    version: snapshot.version,
    listeners: [...snapshot.listeners.values()],
    routeTables: [...snapshot.routeTables.values()],
    clusters: [...snapshot.clusters.values()],
  };
  return JSON.stringify(doc, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** A decoded snapshot file. */
export interface DecodedSnapshot {
  readonly sourceKey: string;
  readonly savedAt: Date;
  readonly snapshot: MeshSnapshot;
}

/**
 * Decodes and validates a snapshot file into a frozen snapshot. Anything wrong (bad JSON, another
 * format version, a field of the wrong type, duplicate names) throws a {@link MeshError}
 * `MESH_ERR_CACHE_CORRUPT` whose `field` names the offending path.
 */
export function decodeSnapshot(text: string): DecodedSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new MeshError(ErrorCode.CACHE_CORRUPT, `not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(doc) || doc.format !== SNAPSHOT_FORMAT) throw corrupt('format', `expected "${SNAPSHOT_FORMAT}"`);
  if (doc.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw corrupt('formatVersion', `expected ${SNAPSHOT_FORMAT_VERSION} (written by another sidecarless version)`);
  }
  const top = record<{
    format: string;
    formatVersion: number;
    sourceKey: string;
    savedAt: string;
    version: string;
    listeners: Listener[];
    routeTables: RouteTable[];
    clusters: Cluster[];
  }>({
    format: str,
    formatVersion: int(),
    sourceKey: str,
    savedAt: str,
    version: str,
    listeners: list(listenerShape),
    routeTables: list(routeTableShape),
    clusters: list(clusterShape),
  })(doc, '');
  const savedAt = new Date(top.savedAt);
  if (Number.isNaN(savedAt.getTime())) throw corrupt('savedAt', 'expected an ISO date');
  return {
    sourceKey: top.sourceKey,
    savedAt,
    snapshot: freezeSnapshot({
      version: top.version,
      listeners: byName(top.listeners, 'listeners'),
      routeTables: byName(top.routeTables, 'routeTables'),
      clusters: byName(top.clusters, 'clusters'),
    }),
  };
}

function byName<T extends { readonly name: string }>(items: readonly T[], path: string): Map<string, T> {
  const out = new Map<string, T>();
  items.forEach((item, i) => {
    if (out.has(item.name)) throw corrupt(`${path}[${i}].name`, `duplicate name "${item.name}"`);
    out.set(item.name, item);
  });
  return out;
}

const uint: Shape<number> = int();

/** The member of union `U` whose `tag` field is `V`. */
type Of<U, Tag extends string, V> = Extract<U, { readonly [P in Tag]: V }>;

const valueMatcherShape = record<Extract<StringMatcher, { ignoreCase: boolean }>>({
  kind: literal('exact', 'prefix', 'suffix', 'contains'),
  value: str,
  ignoreCase: bool,
});
const stringMatcherShape: Shape<StringMatcher> = tagged<StringMatcher>('kind', {
  exact: valueMatcherShape,
  prefix: valueMatcherShape,
  suffix: valueMatcherShape,
  contains: valueMatcherShape,
  regex: record<Of<StringMatcher, 'kind', 'regex'>>({ kind: literal('regex'), regex: str }),
});

const pathMatcherShape: Shape<PathMatcher> = tagged<PathMatcher>('kind', {
  prefix: record<Of<PathMatcher, 'kind', 'prefix'>>({ kind: literal('prefix'), value: str }),
  path: record<Of<PathMatcher, 'kind', 'path'>>({ kind: literal('path'), value: str }),
  pathSeparatedPrefix: record<Of<PathMatcher, 'kind', 'pathSeparatedPrefix'>>({ kind: literal('pathSeparatedPrefix'), value: str }),
  regex: record<Of<PathMatcher, 'kind', 'regex'>>({ kind: literal('regex'), regex: str }),
});

const headerMatchShape: Shape<HeaderMatch> = tagged<HeaderMatch>('kind', {
  string: record<Of<HeaderMatch, 'kind', 'string'>>({ kind: literal('string'), matcher: stringMatcherShape }),
  range: record<Of<HeaderMatch, 'kind', 'range'>>({ kind: literal('range'), start: bigintString, end: bigintString }),
  present: record<Of<HeaderMatch, 'kind', 'present'>>({ kind: literal('present'), present: bool }),
});

const routeMatchShape: Shape<RouteMatch> = record<RouteMatch>({
  path: pathMatcherShape,
  caseSensitive: bool,
  headers: list(record<HeaderMatcher>({ name: str, match: headerMatchShape, invert: bool, treatMissingAsEmpty: bool })),
  queryParameters: list(record<QueryParameterMatcher>({ name: str, matcher: optional(stringMatcherShape) })),
  runtimeFractionPerMillion: optional(int(0, 1_000_000)),
});

const routeActionShape: Shape<RouteAction> = tagged<RouteAction>('kind', {
  cluster: record<Of<RouteAction, 'kind', 'cluster'>>({ kind: literal('cluster'), cluster: str }),
  weightedClusters: record<Of<RouteAction, 'kind', 'weightedClusters'>>({
    kind: literal('weightedClusters'),
    clusters: list(record<ClusterWeight>({ name: str, weight: int(1) })),
  }),
  clusterHeader: record<Of<RouteAction, 'kind', 'clusterHeader'>>({ kind: literal('clusterHeader'), header: str }),
  nonForwarding: record<Of<RouteAction, 'kind', 'nonForwarding'>>({ kind: literal('nonForwarding') }),
});

const hashPolicyShape: Shape<HashPolicy> = tagged<HashPolicy>('kind', {
  header: record<Of<HashPolicy, 'kind', 'header'>>({
    kind: literal('header'),
    name: str,
    terminal: bool,
    regexRewrite: optional(record<{ regex: string; substitution: string }>({ regex: str, substitution: str })),
  }),
  cookie: record<Of<HashPolicy, 'kind', 'cookie'>>({ kind: literal('cookie'), name: str, terminal: bool }),
  queryParameter: record<Of<HashPolicy, 'kind', 'queryParameter'>>({ kind: literal('queryParameter'), name: str, terminal: bool }),
  channelId: record<Of<HashPolicy, 'kind', 'channelId'>>({ kind: literal('channelId'), terminal: bool }),
});

const retryPolicyShape: Shape<RetryPolicy> = record<RetryPolicy>({
  retryOn: list(str),
  numRetries: uint,
  retriableStatusCodes: list(int(100, 599)),
  baseIntervalMs: uint,
  maxIntervalMs: uint,
  perTryTimeoutMs: optional(uint),
});

const routeShape: Shape<Route> = record<Route>({
  name: optional(str),
  match: routeMatchShape,
  action: routeActionShape,
  hashPolicies: list(hashPolicyShape),
  timeoutMs: optional(uint),
  maxStreamDurationMs: optional(uint),
  retryPolicy: optional(retryPolicyShape),
});

const routeTableShape: Shape<RouteTable> = record<RouteTable>({
  name: str,
  virtualHosts: list(
    record<VirtualHost>({ name: str, domains: list(str), routes: list(routeShape), retryPolicy: optional(retryPolicyShape) }),
  ),
});

const listenerShape: Shape<Listener> = record<Listener>({
  name: str,
  routeTableName: optional(str),
  routeTable: optional(routeTableShape),
  maxStreamDurationMs: optional(uint),
});

const localityShape: Shape<Locality> = record<Locality>({ region: str, zone: str, subZone: str });

const endpointShape: Shape<Endpoint> = (v, path) => {
  const e = record<Endpoint>({
    host: str,
    port: int(1, 65_535),
    address: str,
    weight: int(1),
    health: literal<HealthStatus>('UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'),
    locality: localityShape,
    priority: uint,
    labels: stringRecord,
    hashKey: optional(str),
  })(v, path);
  if (e.address !== formatAddress(e.host, e.port)) throw corrupt(`${path}.address`, 'does not match host and port');
  return createEndpoint(e);
};

const lbPolicyShape: Shape<LbPolicy> = tagged<LbPolicy>('name', {
  round_robin: record<Of<LbPolicy, 'name', 'round_robin'>>({ name: literal('round_robin') }),
  weighted_round_robin: record<Of<LbPolicy, 'name', 'weighted_round_robin'>>({ name: literal('weighted_round_robin') }),
  random: record<Of<LbPolicy, 'name', 'random'>>({ name: literal('random') }),
  least_request: record<Of<LbPolicy, 'name', 'least_request'>>({ name: literal('least_request'), choiceCount: int(2, 10) }),
  ring_hash: record<Of<LbPolicy, 'name', 'ring_hash'>>({
    name: literal('ring_hash'),
    minRingSize: int(1),
    maxRingSize: int(1),
    requestHashHeader: optional(str),
  }),
  maglev: record<Of<LbPolicy, 'name', 'maglev'>>({ name: literal('maglev'), tableSize: int(1) }),
  pick_first: record<Of<LbPolicy, 'name', 'pick_first'>>({ name: literal('pick_first'), shuffleAddressList: bool }),
});

const percent = int(0, 100);

const outlierShape: Shape<OutlierDetectionConfig> = record<OutlierDetectionConfig>({
  intervalMs: uint,
  baseEjectionTimeMs: uint,
  maxEjectionTimeMs: uint,
  maxEjectionPercent: percent,
  successRateEjection: optional(
    record<SuccessRateEjection>({ stdevFactor: uint, enforcementPercentage: percent, minimumHosts: uint, requestVolume: uint }),
  ),
  failurePercentageEjection: optional(
    record<FailurePercentageEjection>({ threshold: percent, enforcementPercentage: percent, minimumHosts: uint, requestVolume: uint }),
  ),
});

const priorityShape: Shape<PriorityLevel> = record<PriorityLevel>({
  priority: uint,
  localities: list(record<LocalityEndpoints>({ locality: localityShape, weight: int(1), endpoints: list(endpointShape) })),
});

const clusterShape: Shape<Cluster> = (v, path) => {
  const c = record<Cluster>({
    name: str,
    priorities: list(priorityShape),
    lbPolicy: lbPolicyShape,
    localityWeighting: record<LocalityWeighting>({ mode: literal('grpc', 'envoy'), overprovisioningFactor: int(1) }),
    outlierDetection: optional(outlierShape),
    circuitBreaker: record<{ maxRequests: number }>({ maxRequests: uint }),
    dropOverloads: list(record<DropOverload>({ category: str, dropPerMillion: int(0, 1_000_000) })),
  })(v, path);
  c.priorities.forEach((p, i) => {
    if (p.priority !== i) throw corrupt(`${path}.priorities[${i}].priority`, `expected ${i} (priorities are contiguous from 0)`);
  });
  return c;
};
