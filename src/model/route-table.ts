/** A string matcher (envoy.type.matcher.v3.StringMatcher). */
export type StringMatcher =
  | { readonly kind: 'exact' | 'prefix' | 'suffix' | 'contains'; readonly value: string; readonly ignoreCase: boolean }
  /** RE2 syntax; must match the entire value. */
  | { readonly kind: 'regex'; readonly regex: string };

/** How a route matches the request path. */
export type PathMatcher =
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'path'; readonly value: string }
  /** RE2 syntax; must match the entire path; `caseSensitive` does not apply. */
  | { readonly kind: 'regex'; readonly regex: string }
  /** Path equals value or starts with value + '/'. Value does not end in '/'. */
  | { readonly kind: 'pathSeparatedPrefix'; readonly value: string };

/** The test a header matcher applies (xds-reference §4.3). */
export type HeaderMatch =
  | { readonly kind: 'string'; readonly matcher: StringMatcher }
  /** Base-10 integer value v with start <= v < end. */
  | { readonly kind: 'range'; readonly start: bigint; readonly end: bigint }
  /** true: header present; false: header absent. */
  | { readonly kind: 'present'; readonly present: boolean };

/** Matches one request header. */
export interface HeaderMatcher {
  /** Lower-case header name. */
  readonly name: string;
  readonly match: HeaderMatch;
  /** Negate the result (a missing header still fails value matchers). */
  readonly invert: boolean;
  /** Evaluate an absent header as the empty string. */
  readonly treatMissingAsEmpty: boolean;
}

/** Matches one query parameter (HTTP mode only; in gRPC mode routes with these never match). */
export interface QueryParameterMatcher {
  readonly name: string;
  /** Absent: the parameter must be present. */
  readonly matcher?: StringMatcher;
}

/** Everything a route requires of a request. */
export interface RouteMatch {
  readonly path: PathMatcher;
  /** Default true. Applies to prefix, path and pathSeparatedPrefix. */
  readonly caseSensitive: boolean;
  readonly headers: readonly HeaderMatcher[];
  readonly queryParameters: readonly QueryParameterMatcher[];
  /** Share of requests the route matches, parts per million; absent means always. */
  readonly runtimeFractionPerMillion?: number;
}

/** One entry of a weighted-clusters action. */
export interface ClusterWeight {
  readonly name: string;
  /** > 0; zero-weight entries are dropped by sources. */
  readonly weight: number;
}

/** Where a route sends a request. */
export type RouteAction =
  | { readonly kind: 'cluster'; readonly cluster: string }
  | { readonly kind: 'weightedClusters'; readonly clusters: readonly ClusterWeight[] }
  /** Cluster named by this request header (Envoy); missing header or unknown cluster fails the pick. */
  | { readonly kind: 'clusterHeader'; readonly header: string }
  /** Redirect, direct response or non-forwarding: requests matching it fail. */
  | { readonly kind: 'nonForwarding' };

/** Produces part of a request hash for ring_hash/maglev (xds-reference §4.6). */
export type HashPolicy =
  | {
      readonly kind: 'header';
      readonly name: string;
      readonly terminal: boolean;
      readonly regexRewrite?: { readonly regex: string; readonly substitution: string };
    }
  | { readonly kind: 'cookie'; readonly name: string; readonly terminal: boolean }
  | { readonly kind: 'queryParameter'; readonly name: string; readonly terminal: boolean }
  /** A per-client random value (gRPC `io.grpc.channel_id`): per-client affinity. */
  | { readonly kind: 'channelId'; readonly terminal: boolean };

/** Retry policy of a route (A44 and Envoy `retry_on`). */
export interface RetryPolicy {
  /** Conditions, e.g. `5xx`, `gateway-error`, `connect-failure`, `unavailable`. */
  readonly retryOn: readonly string[];
  /** Retries after the first attempt (default 1). */
  readonly numRetries: number;
  /** HTTP status codes retried with `retriable-status-codes`. */
  readonly retriableStatusCodes: readonly number[];
  /** Default 25 ms. */
  readonly baseIntervalMs: number;
  /** Default 10 x base. */
  readonly maxIntervalMs: number;
  readonly perTryTimeoutMs?: number;
}

/** One route: a match and what to do with matching requests. */
export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly action: RouteAction;
  readonly hashPolicies: readonly HashPolicy[];
  /** Request timeout; absent or 0 means none. */
  readonly timeoutMs?: number;
  /** Stream duration cap (gRPC, A31); absent means none. */
  readonly maxStreamDurationMs?: number;
  readonly retryPolicy?: RetryPolicy;
}

/** A set of domains and their ordered routes. */
export interface VirtualHost {
  readonly name: string;
  /** Exact, `*.suffix`, `prefix.*` or `*`; compared case-insensitively. */
  readonly domains: readonly string[];
  readonly routes: readonly Route[];
  /** Used by routes that have no retry policy of their own. */
  readonly retryPolicy?: RetryPolicy;
}

/** A named list of virtual hosts (an xDS RouteConfiguration). */
export interface RouteTable {
  readonly name: string;
  readonly virtualHosts: readonly VirtualHost[];
}
