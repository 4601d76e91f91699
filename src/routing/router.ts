import { InvalidConfigError } from '../errors';
import type { RetryPolicy, Route, RouteTable, VirtualHost } from '../model/route-table';
import { compileClusterPicker, type ClusterPicker } from './cluster-picker';
import { CompiledHeaderMatcher } from './header-matcher';
import { compilePathMatcher, pathEnd, type PathPredicate } from './path-matcher';
import { CompiledQueryParameterMatcher } from './query-parameter-matcher';
import type { RequestContext } from './request-context';
import { RequestHasher } from './request-hash';
import { validateRetryPolicy } from './retry-policy';
import type { RoutingMode } from './routing-mode';
import { randomU64 } from './fast-random';
import { drawRuntimeFraction, validateRuntimeFraction } from './runtime-fraction';
import { VirtualHostMatcher } from './virtual-host-matcher';

/** How a {@link Router} evaluates requests. */
export interface RouterOptions {
  /** `http` (Envoy semantics) or `grpc` (gRPC semantics); see {@link RoutingMode}. */
  readonly mode: RoutingMode;
  /**
   * Uniform source in [0, 1) for runtime fractions and weighted clusters. Default: a built-in
   * xorshift128 generator seeded from the OS (Math.random allocates on every call in Node 20);
   * tests inject a seeded one.
   */
  readonly random?: () => number;
  /**
   * The per-client 64-bit value hashed by `channelId` hash policies (gRPC `io.grpc.channel_id`).
   * Default: a random value drawn when the router is built. Pass the client's own value to keep
   * per-client affinity across route-table updates (each update builds a new router).
   */
  readonly channelId?: bigint;
}

/** The route a request matched, compiled, with its per-request decisions. */
export interface CompiledRoute {
  /** The matched route as configured. */
  readonly route: Route;
  /** The virtual host the route belongs to. */
  readonly virtualHost: VirtualHost;
  /** The route's retry policy, else the virtual host's, else undefined (no retries). */
  readonly retryPolicy: RetryPolicy | undefined;
  /**
   * The cluster for this request: a weighted draw, the value of the cluster header, or the fixed
   * cluster; undefined for a non-forwarding route or a missing cluster header. Never throws.
   */
  pickCluster(ctx: RequestContext): string | undefined;
  /** The request hash from the route's hash policies (§4.6), undefined if none produced one. Never throws. */
  requestHash(ctx: RequestContext): bigint | undefined;
}

interface CompileOptions {
  readonly mode: RoutingMode;
  readonly random: (() => number) | undefined;
  readonly channelId: bigint;
}

const NO_HEADERS: readonly CompiledHeaderMatcher[] = [];
const NO_QUERY: readonly CompiledQueryParameterMatcher[] = [];

class RouteEntry implements CompiledRoute {
  readonly route: Route;
  readonly virtualHost: VirtualHost;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly #mode: RoutingMode;
  /** Undefined: the pickers' own non-allocating generator (fast-random.ts). */
  readonly #random: (() => number) | undefined;
  readonly #path: PathPredicate;
  readonly #headers: readonly CompiledHeaderMatcher[];
  readonly #query: readonly CompiledQueryParameterMatcher[];
  /** gRPC drops routes with query-parameter matchers: they never match. */
  readonly #neverMatches: boolean;
  readonly #fractionPerMillion: number | undefined;
  readonly #cluster: ClusterPicker;
  readonly #hasher: RequestHasher;

  constructor(route: Route, vh: VirtualHost, options: CompileOptions, field: string) {
    this.route = route;
    this.virtualHost = vh;
    this.retryPolicy = route.retryPolicy ?? vh.retryPolicy;
    this.#mode = options.mode;
    this.#random = options.random;
    const m = route.match;
    if (m === undefined || m === null) throw new InvalidConfigError(`${field}.match`, 'is required');
    this.#path = compilePathMatcher(m.path, m.caseSensitive !== false, `${field}.match.path`);
    this.#headers =
      m.headers.length === 0 ? NO_HEADERS : m.headers.map((h, i) => new CompiledHeaderMatcher(h, `${field}.match.headers[${i}]`));
    this.#query =
      m.queryParameters.length === 0
        ? NO_QUERY
        : m.queryParameters.map((q, i) => new CompiledQueryParameterMatcher(q, `${field}.match.queryParameters[${i}]`));
    this.#neverMatches = options.mode === 'grpc' && this.#query.length > 0;
    validateRuntimeFraction(m.runtimeFractionPerMillion, `${field}.match.runtimeFractionPerMillion`);
    this.#fractionPerMillion = m.runtimeFractionPerMillion;
    this.#cluster = compileClusterPicker(route.action, options.mode, `${field}.action`);
    this.#hasher = new RequestHasher(route.hashPolicies, options.mode, options.channelId, `${field}.hashPolicies`);
    for (const key of ['timeoutMs', 'maxStreamDurationMs'] as const) {
      const ms = route[key];
      if (ms !== undefined && !(ms >= 0)) throw new InvalidConfigError(`${field}.${key}`, `must be >= 0 ms, got ${ms}`);
    }
    if (route.retryPolicy !== undefined) validateRetryPolicy(route.retryPolicy, `${field}.retryPolicy`);
  }

  /** Path, then headers, then query parameters, then the runtime-fraction draw. */
  matches(path: string, end: number, ctx: RequestContext, authority: string): boolean {
    if (this.#neverMatches || !this.#path(path, end)) return false;
    const headers = this.#headers;
    for (let i = 0; i < headers.length; i++) {
      if (!headers[i]!.matches(ctx, authority, this.#mode)) return false;
    }
    const query = this.#query;
    for (let i = 0; i < query.length; i++) {
      if (!query[i]!.matches(path)) return false;
    }
    return drawRuntimeFraction(this.#fractionPerMillion, this.#random);
  }

  pickCluster(ctx: RequestContext): string | undefined {
    try {
      return this.#cluster.pick(ctx, this.#random);
    } catch {
      return undefined; // a misbehaving injected random or header object must not throw into pick()
    }
  }

  requestHash(ctx: RequestContext): bigint | undefined {
    if (this.#hasher.isEmpty) return undefined;
    try {
      return this.#hasher.hash(ctx);
    } catch {
      return undefined;
    }
  }
}

interface CompiledTable {
  readonly hosts: VirtualHostMatcher;
  readonly routes: readonly (readonly RouteEntry[])[];
}

function compileTable(table: RouteTable, options: CompileOptions, fieldPrefix: string): CompiledTable {
  const prefix = fieldPrefix === '' ? '' : `${fieldPrefix}.`;
  const virtualHosts: readonly VirtualHost[] = table?.virtualHosts;
  if (!Array.isArray(table?.virtualHosts)) {
    throw new InvalidConfigError(`${prefix}virtualHosts`, 'must be a list of virtual hosts');
  }
  const hosts = new VirtualHostMatcher(virtualHosts, prefix);
  const routes = virtualHosts.map((vh, i) => {
    const vhField = `${prefix}virtualHosts[${i}]`;
    if (vh.retryPolicy !== undefined) validateRetryPolicy(vh.retryPolicy, `${vhField}.retryPolicy`);
    return vh.routes.map((route, j) => new RouteEntry(route, vh, options, `${vhField}.routes[${j}]`));
  });
  return { hosts, routes };
}

function randomChannelId(): bigint {
  return randomU64();
}

/**
 * Routes requests through one {@link RouteTable} (xds-reference §4): the virtual host by
 * authority (§4.1), then the first route whose path, headers, query parameters and runtime
 * fraction all match (§4.2, §4.3). Everything is compiled in the constructor; the router is
 * immutable and is rebuilt when the table changes. `match()` allocates nothing avoidable.
 */
export class Router {
  readonly #table: RouteTable;
  readonly #compiled: CompiledTable;

  /**
   * @throws InvalidConfigError when the table is invalid (see {@link validateRouteTable}).
   */
  constructor(table: RouteTable, options: RouterOptions) {
    if (options.mode !== 'http' && options.mode !== 'grpc') {
      throw new InvalidConfigError('mode', `must be 'http' or 'grpc', got ${JSON.stringify(options.mode)}`);
    }
    this.#table = table;
    this.#compiled = compileTable(
      table,
      { mode: options.mode, random: options.random, channelId: options.channelId ?? randomChannelId() },
      '',
    );
  }

  /** The route table this router was built from. */
  get table(): RouteTable {
    return this.#table;
  }

  /**
   * The matching route for an authority and request, or undefined (no virtual host matches the
   * authority, or no route of it matches the request). Never throws.
   */
  match(authority: string, ctx: RequestContext): CompiledRoute | undefined {
    try {
      const index = this.#compiled.hosts.match(authority);
      if (index < 0) return undefined;
      const routes = this.#compiled.routes[index]!;
      const path = ctx.path ?? '/';
      const end = pathEnd(path);
      for (let i = 0; i < routes.length; i++) {
        const route = routes[i]!;
        if (route.matches(path, end, ctx, authority)) return route;
      }
      return undefined;
    } catch {
      return undefined; // malformed request objects fail the match rather than the caller
    }
  }
}

/**
 * Checks a route table before a source accepts it, so a bad update is rejected and the last good
 * table kept. Rejects: an invalid domain pattern or a domain repeated across virtual hosts,
 * weighted clusters summing to 0 or above 4,294,967,295, an invalid RE2 regex, an empty
 * prefix/suffix/contains matcher, a `pathSeparatedPrefix` ending in `/`, a retry backoff base of
 * 0, a header range with start > end, and other malformed fields.
 * @param fieldPrefix where the table sits in the source's config, e.g. `routeTables[2]` (may be
 * empty); error fields read `routeTables[2].virtualHosts[1].domains[0]`.
 * @throws InvalidConfigError (`MESH_ERR_INVALID_CONFIG`) whose `field` names the offending field.
 */
export function validateRouteTable(table: RouteTable, fieldPrefix = ''): void {
  compileTable(table, { mode: 'http', random: undefined, channelId: 0n }, fieldPrefix);
}
