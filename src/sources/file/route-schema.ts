import { InvalidConfigError } from '../../errors';
import type {
  ClusterWeight,
  HashPolicy,
  RetryPolicy,
  Route,
  RouteAction,
  RouteTable,
  VirtualHost,
} from '../../model/route-table';
import { ConfigReader, readList, readStringList, type ConfigItem } from './config-reader';
import { checkRe2 } from '../../routing/re2-check';
import { MATCH_ALL, readRouteMatch } from './route-match-schema';

/**
 * Maps a cluster name as written in a route to the snapshot's cluster name, throwing an
 * {@link InvalidConfigError} at `path` when it names nothing known.
 */
export type ClusterResolver = (written: string, path: string) => string;

/** Longest timer Node can arm (2^31 - 1 ms); longer durations would fire at once. */
export const MAX_DURATION_MS = 2_147_483_647;
const MAX_UINT32 = 4_294_967_295;

/** Keys of one route. */
export const ROUTE_KEYS = ['name', 'match', 'route', 'hashPolicy', 'timeoutMs', 'maxStreamDurationMs', 'retries'];
const ACTION_KINDS = ['cluster', 'weighted', 'clusterHeader', 'nonForwarding'] as const;
const HASH_KINDS = ['header', 'cookie', 'queryParameter', 'channelId'] as const;
const RETRY_KEYS = ['retryOn', 'numRetries', 'retriableStatusCodes', 'baseIntervalMs', 'maxIntervalMs', 'perTryTimeoutMs'];

/** Converts an ordered list of routes (first match wins); route names must be unique. */
export function readRoutes(value: unknown, path: string, resolve: ClusterResolver): Route[] {
  const names = new Set<string>();
  return readList(value, path).map((item) => {
    const route = readRoute(item, resolve);
    if (route.name !== undefined) {
      if (names.has(route.name)) throw new InvalidConfigError(`${item.path}.name`, `duplicate route name "${route.name}"`);
      names.add(route.name);
    }
    return route;
  });
}

function readRoute(item: ConfigItem, resolve: ClusterResolver): Route {
  const r = new ConfigReader(item.value, item.path, ROUTE_KEYS);
  const name = r.string('name');
  const hashPolicies = (r.list('hashPolicy') ?? []).map(readHashPolicy);
  const timeoutMs = r.int('timeoutMs', 0, MAX_DURATION_MS);
  const maxStreamDurationMs = r.int('maxStreamDurationMs', 0, MAX_DURATION_MS);
  const retryPolicy = r.has('retries') ? readRetryPolicy(r.raw('retries'), r.pathOf('retries')) : undefined;
  return {
    ...(name === undefined ? {} : { name }),
    match: r.has('match') ? readRouteMatch(r.raw('match'), r.pathOf('match')) : MATCH_ALL,
    action: readAction(r.required('route'), r.pathOf('route'), resolve),
    hashPolicies,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxStreamDurationMs === undefined ? {} : { maxStreamDurationMs }),
    ...(retryPolicy ? { retryPolicy } : {}),
  };
}

/**
 * A route action: one of `cluster`, `weighted` (list of `{cluster, weight}`; zero weights dropped,
 * sum 1..4294967295), `clusterHeader` (header naming the cluster) or `nonForwarding: true`.
 */
function readAction(value: unknown, path: string, resolve: ClusterResolver): RouteAction {
  const r = new ConfigReader(value, path, [...ACTION_KINDS]);
  const kinds = ACTION_KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) {
    throw new InvalidConfigError(path, `set exactly one of ${ACTION_KINDS.join(', ')}${kinds.length ? ` (got ${kinds.join(', ')})` : ''}`);
  }
  switch (kinds[0]!) {
    case 'cluster':
      return { kind: 'cluster', cluster: resolve(r.requiredString('cluster'), r.pathOf('cluster')) };
    case 'clusterHeader':
      return { kind: 'clusterHeader', header: r.requiredString('clusterHeader').toLowerCase() };
    case 'nonForwarding':
      if (r.bool('nonForwarding') !== true) throw new InvalidConfigError(r.pathOf('nonForwarding'), 'must be true when set');
      return { kind: 'nonForwarding' };
    case 'weighted': {
      const clusters: ClusterWeight[] = [];
      let total = 0;
      const items = r.list('weighted')!;
      if (items.length === 0) throw new InvalidConfigError(r.pathOf('weighted'), 'must not be empty');
      for (const item of items) {
        const w = new ConfigReader(item.value, item.path, ['cluster', 'weight']);
        const name = resolve(w.requiredString('cluster'), w.pathOf('cluster'));
        const weight = w.int('weight', 0, MAX_UINT32);
        if (weight === undefined) throw new InvalidConfigError(w.pathOf('weight'), 'is required');
        total += weight;
        if (weight > 0) clusters.push({ name, weight });
      }
      if (total === 0) throw new InvalidConfigError(r.pathOf('weighted'), 'weights must not all be 0');
      if (total > MAX_UINT32) throw new InvalidConfigError(r.pathOf('weighted'), `weights must sum to at most ${MAX_UINT32}`);
      return { kind: 'weightedClusters', clusters };
    }
  }
}

/**
 * A hash policy: `{header, regexRewrite?}`, `{cookie}`, `{queryParameter}` or `{channelId: true}`,
 * each with an optional `terminal`.
 */
function readHashPolicy(item: ConfigItem): HashPolicy {
  const r = new ConfigReader(item.value, item.path, [...HASH_KINDS, 'regexRewrite', 'terminal']);
  const kinds = HASH_KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) throw new InvalidConfigError(item.path, `set exactly one of ${HASH_KINDS.join(', ')}`);
  const terminal = r.bool('terminal') ?? false;
  if (kinds[0] !== 'header' && r.has('regexRewrite')) {
    throw new InvalidConfigError(r.pathOf('regexRewrite'), 'applies only to header hash policies');
  }
  switch (kinds[0]!) {
    case 'header': {
      const name = r.requiredString('header').toLowerCase();
      const rw = r.object('regexRewrite', ['regex', 'substitution']);
      if (!rw) return { kind: 'header', name, terminal };
      const regex = rw.requiredString('regex');
      checkRe2(regex, rw.pathOf('regex'));
      return { kind: 'header', name, terminal, regexRewrite: { regex, substitution: rw.requiredString('substitution', false) } };
    }
    case 'cookie':
      return { kind: 'cookie', name: r.requiredString('cookie'), terminal };
    case 'queryParameter':
      return { kind: 'queryParameter', name: r.requiredString('queryParameter'), terminal };
    case 'channelId':
      if (r.bool('channelId') !== true) throw new InvalidConfigError(r.pathOf('channelId'), 'must be true when set');
      return { kind: 'channelId', terminal };
  }
}

/**
 * A retry policy: `retryOn` (list or comma string, required), `numRetries` (default 1),
 * `retriableStatusCodes`, `baseIntervalMs` (default 25), `maxIntervalMs` (default 10 x base),
 * `perTryTimeoutMs`.
 */
export function readRetryPolicy(value: unknown, path: string): RetryPolicy {
  const r = new ConfigReader(value, path, RETRY_KEYS);
  const retryOn = readStringList(r.required('retryOn'), r.pathOf('retryOn'));
  if (retryOn.length === 0) throw new InvalidConfigError(r.pathOf('retryOn'), 'must name at least one condition');
  const baseIntervalMs = r.int('baseIntervalMs', 1, MAX_DURATION_MS) ?? 25;
  const maxIntervalMs = r.int('maxIntervalMs', 1, MAX_DURATION_MS) ?? Math.min(baseIntervalMs * 10, MAX_DURATION_MS);
  if (maxIntervalMs < baseIntervalMs) throw new InvalidConfigError(r.pathOf('maxIntervalMs'), 'must be >= baseIntervalMs');
  const perTryTimeoutMs = r.int('perTryTimeoutMs', 1, MAX_DURATION_MS);
  return {
    retryOn,
    numRetries: r.int('numRetries', 0, 100) ?? 1,
    retriableStatusCodes: (r.list('retriableStatusCodes') ?? []).map((item) => {
      const code = item.value;
      if (typeof code !== 'bigint' || code < 100n || code > 599n) throw new InvalidConfigError(item.path, 'must be an HTTP status 100..599');
      return Number(code);
    }),
    baseIntervalMs,
    maxIntervalMs,
    ...(perTryTimeoutMs === undefined ? {} : { perTryTimeoutMs }),
  };
}

/**
 * Checks a domain pattern: exact, `*.suffix`, `prefix.*` or `*` alone (xds-reference §4.1).
 */
export function checkDomain(domain: string, path: string): void {
  if (domain === '*') return;
  const stars = domain.split('*').length - 1;
  if (domain === '' || stars > 1 || (stars === 1 && !domain.startsWith('*') && !domain.endsWith('*'))) {
    throw new InvalidConfigError(path, `invalid domain "${domain}": use an exact name, "*.suffix", "prefix*" or "*"`);
  }
}

/** Converts the full-form `routeTables.<name>` entry (`virtualHosts: [{name, domains, routes, retries}]`). */
export function readRouteTable(name: string, item: ConfigItem, resolve: ClusterResolver): RouteTable {
  const r = new ConfigReader(item.value, item.path, ['virtualHosts']);
  const names = new Set<string>();
  const domains = new Map<string, string>();
  const virtualHosts = (r.list('virtualHosts') ?? []).map((vhItem) => {
    const v = new ConfigReader(vhItem.value, vhItem.path, ['name', 'domains', 'routes', 'retries']);
    const vhName = v.requiredString('name');
    if (names.has(vhName)) throw new InvalidConfigError(v.pathOf('name'), `duplicate virtual host "${vhName}"`);
    names.add(vhName);
    const list = readStringList(v.required('domains'), v.pathOf('domains'));
    if (list.length === 0) throw new InvalidConfigError(v.pathOf('domains'), 'must not be empty');
    list.forEach((d, i) => {
      const dPath = `${v.pathOf('domains')}[${i}]`;
      checkDomain(d, dPath);
      const owner = domains.get(d.toLowerCase());
      if (owner !== undefined) throw new InvalidConfigError(dPath, `duplicate domain "${d}" (also in virtual host "${owner}")`);
      domains.set(d.toLowerCase(), vhName);
    });
    return virtualHost(vhName, list, v, resolve);
  });
  return { name, virtualHosts };
}

/** Builds a virtual host from a reader holding `routes` and `retries`. */
export function virtualHost(name: string, domains: string[], r: ConfigReader, resolve: ClusterResolver): VirtualHost {
  const retryPolicy = r.has('retries') ? readRetryPolicy(r.raw('retries'), r.pathOf('retries')) : undefined;
  return {
    name,
    domains,
    routes: readRoutes(r.required('routes'), r.pathOf('routes'), resolve),
    ...(retryPolicy ? { retryPolicy } : {}),
  };
}
