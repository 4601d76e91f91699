// Builders for route tables in tests: defaults filled so each test states only what it is about.
import type {
  HashPolicy,
  HeaderMatcher,
  PathMatcher,
  QueryParameterMatcher,
  RetryPolicy,
  Route,
  RouteAction,
  RouteTable,
  StringMatcher,
  VirtualHost,
} from '../../src/model/route-table';

export interface RouteSpec {
  readonly name?: string;
  readonly path?: PathMatcher;
  readonly caseSensitive?: boolean;
  readonly headers?: readonly HeaderMatcher[];
  readonly queryParameters?: readonly QueryParameterMatcher[];
  readonly runtimeFractionPerMillion?: number;
  readonly action?: RouteAction;
  readonly cluster?: string;
  readonly hashPolicies?: readonly HashPolicy[];
  readonly timeoutMs?: number;
  readonly maxStreamDurationMs?: number;
  readonly retryPolicy?: RetryPolicy;
}

export function route(spec: RouteSpec = {}): Route {
  return {
    ...(spec.name === undefined ? {} : { name: spec.name }),
    match: {
      path: spec.path ?? { kind: 'prefix', value: '' },
      caseSensitive: spec.caseSensitive ?? true,
      headers: spec.headers ?? [],
      queryParameters: spec.queryParameters ?? [],
      ...(spec.runtimeFractionPerMillion === undefined ? {} : { runtimeFractionPerMillion: spec.runtimeFractionPerMillion }),
    },
    action: spec.action ?? { kind: 'cluster', cluster: spec.cluster ?? 'default' },
    hashPolicies: spec.hashPolicies ?? [],
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
    ...(spec.maxStreamDurationMs === undefined ? {} : { maxStreamDurationMs: spec.maxStreamDurationMs }),
    ...(spec.retryPolicy === undefined ? {} : { retryPolicy: spec.retryPolicy }),
  };
}

export function virtualHost(
  name: string,
  domains: readonly string[],
  routes: readonly Route[] = [route({ cluster: name })],
  retryPolicy?: RetryPolicy,
): VirtualHost {
  return { name, domains, routes, ...(retryPolicy === undefined ? {} : { retryPolicy }) };
}

export function table(...virtualHosts: VirtualHost[]): RouteTable {
  return { name: 'test', virtualHosts };
}

/** A table with one catch-all virtual host holding `routes`. */
export function single(...routes: Route[]): RouteTable {
  return table(virtualHost('vh', ['*'], routes));
}

export function exact(value: string, ignoreCase = false): StringMatcher {
  return { kind: 'exact', value, ignoreCase };
}

export function headerExact(name: string, value: string, extra: Partial<HeaderMatcher> = {}): HeaderMatcher {
  return { name, match: { kind: 'string', matcher: exact(value) }, invert: false, treatMissingAsEmpty: false, ...extra };
}

export function retry(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    retryOn: ['5xx'],
    numRetries: 1,
    retriableStatusCodes: [],
    baseIntervalMs: 25,
    maxIntervalMs: 250,
    ...overrides,
  };
}

/** A deterministic uniform source in [0, 1) (mulberry32), so statistical tests are reproducible. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` and returns the thrown error, failing if nothing was thrown. */
export function thrown(fn: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; field: string | undefined; message: string };
  }
  throw new Error('expected an error to be thrown');
}
