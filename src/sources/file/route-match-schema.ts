import { InvalidConfigError } from '../../errors';
import type {
  HeaderMatch,
  HeaderMatcher,
  PathMatcher,
  QueryParameterMatcher,
  RouteMatch,
  StringMatcher,
} from '../../model/route-table';
import { ConfigReader, type ConfigItem } from './config-reader';
import { checkRe2 } from '../../routing/re2-check';

const STRING_MATCH_KINDS = ['exact', 'prefix', 'suffix', 'contains'] as const;
const STRING_MATCHER_KEYS = [...STRING_MATCH_KINDS, 'regex', 'ignoreCase'];
const HEADER_KEYS = [...STRING_MATCHER_KEYS, 'range', 'present', 'invert', 'treatMissingAsEmpty'];
const PATH_KINDS = ['prefix', 'path', 'regex', 'pathSeparatedPrefix'] as const;
const MATCH_KEYS = [...PATH_KINDS, 'caseSensitive', 'headers', 'query', 'runtimeFraction'];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The match of a route without a `match` field: every path. */
export const MATCH_ALL: RouteMatch = Object.freeze({
  path: Object.freeze({ kind: 'prefix', value: '/' }),
  caseSensitive: true,
  headers: Object.freeze([]),
  queryParameters: Object.freeze([]),
});

/**
 * Converts a route's `match` mapping: one of `prefix` (default `/`), `path`, `regex`,
 * `pathSeparatedPrefix`; `caseSensitive`; `headers` and `query` (name → matcher); `runtimeFraction`
 * (percent of requests, 0..100).
 */
export function readRouteMatch(value: unknown, path: string): RouteMatch {
  const r = new ConfigReader(value, path, MATCH_KEYS);
  const kinds = PATH_KINDS.filter((k) => r.has(k));
  if (kinds.length > 1) throw new InvalidConfigError(path, `set only one of ${PATH_KINDS.join(', ')} (got ${kinds.join(', ')})`);
  let pathMatcher: PathMatcher = MATCH_ALL.path;
  const kind = kinds[0];
  if (kind === 'regex') {
    const regex = r.requiredString('regex');
    checkRe2(regex, r.pathOf('regex'));
    pathMatcher = { kind: 'regex', regex };
  } else if (kind === 'pathSeparatedPrefix') {
    const v = r.requiredString(kind);
    if (v.endsWith('/')) throw new InvalidConfigError(r.pathOf(kind), 'must not end with "/"');
    pathMatcher = { kind, value: v };
  } else if (kind === 'path') {
    pathMatcher = { kind, value: r.requiredString(kind) };
  } else if (kind === 'prefix') {
    pathMatcher = { kind, value: r.string(kind, false) ?? '' };
  }
  const headers: HeaderMatcher[] = [];
  const seen = new Set<string>();
  for (const [name, item] of r.entries('headers') ?? []) {
    const lower = name.toLowerCase();
    if (lower === '') throw new InvalidConfigError(item.path, 'header name must not be empty');
    if (seen.has(lower)) throw new InvalidConfigError(item.path, `duplicate header "${lower}" (names are case-insensitive)`);
    seen.add(lower);
    headers.push(readHeaderMatcher(lower, item));
  }
  const queryParameters: QueryParameterMatcher[] = [];
  for (const [name, item] of r.entries('query') ?? []) queryParameters.push(readQueryMatcher(name, item));
  const percent = r.number('runtimeFraction', 0, 100);
  return {
    path: pathMatcher,
    caseSensitive: r.bool('caseSensitive') ?? true,
    headers,
    queryParameters,
    ...(percent === undefined ? {} : { runtimeFractionPerMillion: Math.round(percent * 10_000) }),
  };
}

/**
 * A string matcher: a bare string means `exact`; otherwise one of `exact`, `prefix`, `suffix`,
 * `contains` (with optional `ignoreCase`) or `regex` (RE2, whole value).
 */
export function readStringMatcher(value: unknown, path: string): StringMatcher {
  if (typeof value === 'string') return { kind: 'exact', value, ignoreCase: false };
  const r = new ConfigReader(value, path, STRING_MATCHER_KEYS);
  const m = stringMatcherOf(r);
  if (!m) throw new InvalidConfigError(path, `set one of ${[...STRING_MATCH_KINDS, 'regex'].join(', ')}`);
  return m;
}

/** The string matcher set in `r`, if any; several set is an error. */
function stringMatcherOf(r: ConfigReader): StringMatcher | undefined {
  const kinds = [...STRING_MATCH_KINDS, 'regex'].filter((k) => r.has(k));
  if (kinds.length > 1) throw new InvalidConfigError(r.path, `set only one of ${kinds.join(', ')}`);
  const kind = kinds[0];
  if (kind === undefined) {
    if (r.has('ignoreCase')) throw new InvalidConfigError(r.pathOf('ignoreCase'), 'needs exact, prefix, suffix or contains');
    return undefined;
  }
  if (kind === 'regex') {
    if (r.has('ignoreCase')) throw new InvalidConfigError(r.pathOf('ignoreCase'), 'does not apply to regex (use (?i))');
    const regex = r.requiredString('regex');
    checkRe2(regex, r.pathOf('regex'));
    return { kind: 'regex', regex };
  }
  // Envoy rejects empty prefix/suffix/contains: they would match everything (use `present`).
  const v = r.requiredString(kind, kind !== 'exact');
  return { kind: kind as (typeof STRING_MATCH_KINDS)[number], value: v, ignoreCase: r.bool('ignoreCase') ?? false };
}

function readHeaderMatcher(name: string, item: ConfigItem): HeaderMatcher {
  if (typeof item.value === 'string') {
    return { name, match: { kind: 'string', matcher: readStringMatcher(item.value, item.path) }, invert: false, treatMissingAsEmpty: false };
  }
  const r = new ConfigReader(item.value, item.path, HEADER_KEYS);
  const matcher = stringMatcherOf(r);
  const others = ['range', 'present'].filter((k) => r.has(k));
  if (others.length + (matcher ? 1 : 0) > 1) {
    throw new InvalidConfigError(item.path, 'set only one of exact, prefix, suffix, contains, regex, range, present');
  }
  let match: HeaderMatch;
  if (matcher) match = { kind: 'string', matcher };
  else if (r.has('range')) match = readRange(r.raw('range'), r.pathOf('range'));
  else match = { kind: 'present', present: r.bool('present') ?? true };
  return { name, match, invert: r.bool('invert') ?? false, treatMissingAsEmpty: r.bool('treatMissingAsEmpty') ?? false };
}

function readRange(value: unknown, path: string): HeaderMatch {
  const r = new ConfigReader(value, path, ['start', 'end']);
  const start = readInt64(r.required('start'), r.pathOf('start'));
  const end = readInt64(r.required('end'), r.pathOf('end'));
  if (start >= end) throw new InvalidConfigError(r.pathOf('end'), 'must be greater than start (the range is start <= v < end)');
  return { kind: 'range', start, end };
}

/** An int64 written as an integer or as a decimal string (for values beyond 2^53 in JSON). */
function readInt64(value: unknown, path: string): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) v = BigInt(value);
  else throw new InvalidConfigError(path, 'must be a 64-bit integer');
  if (v < INT64_MIN || v > INT64_MAX) throw new InvalidConfigError(path, 'must be a 64-bit integer');
  return v;
}

function readQueryMatcher(name: string, item: ConfigItem): QueryParameterMatcher {
  if (name === '') throw new InvalidConfigError(item.path, 'query parameter name must not be empty');
  if (typeof item.value === 'string') return { name, matcher: readStringMatcher(item.value, item.path) };
  const r = new ConfigReader(item.value, item.path, [...STRING_MATCHER_KEYS, 'present']);
  const matcher = stringMatcherOf(r);
  if (matcher && r.has('present')) throw new InvalidConfigError(item.path, 'set either a string matcher or present');
  if (matcher) return { name, matcher };
  if (r.bool('present') === false) throw new InvalidConfigError(r.pathOf('present'), 'only present: true is supported');
  return { name };
}
