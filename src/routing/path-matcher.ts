import { InvalidConfigError } from '../errors';
import type { PathMatcher } from '../model/route-table';
import { asciiLower, regionEqualsIgnoreCase } from './ascii-case';
import { compileSafeRegex } from './safe-regex';

/**
 * A compiled path specifier. `end` is where the path proper ends (see {@link pathEnd}); matching
 * never looks at the query string or fragment after it. Never throws.
 */
export type PathPredicate = (path: string, end: number) => boolean;

const SLASH = 47; // '/'

/** The length of `path` without its query string and fragment. */
export function pathEnd(path: string): number {
  // Two native scans beat one character loop in JS.
  const q = path.indexOf('?');
  const h = path.indexOf('#');
  if (q < 0) return h < 0 ? path.length : h;
  return h < 0 || q < h ? q : h;
}

function regionEquals(path: string, offset: number, value: string, lowerValue: string | undefined): boolean {
  return lowerValue === undefined ? path.startsWith(value, offset) : regionEqualsIgnoreCase(path, offset, lowerValue);
}

/**
 * Compiles a route's path specifier (query string stripped first):
 * - `prefix`: the path starts with the value (`''` and `'/'` match every path);
 * - `path`: the path equals the value;
 * - `regex`: RE2, must match the entire path; `caseSensitive` does not apply;
 * - `pathSeparatedPrefix`: the path equals the value or continues it with `/`.
 * `caseSensitive: false` compares ASCII letters case-insensitively.
 * @param field the config field of the path specifier, e.g. `virtualHosts[0].routes[2].match.path`.
 * @throws InvalidConfigError naming the field for an invalid regex or `pathSeparatedPrefix`.
 */
export function compilePathMatcher(matcher: PathMatcher, caseSensitive: boolean, field: string): PathPredicate {
  if (matcher.kind === 'regex') {
    const regex = compileSafeRegex(matcher.regex, `${field}.regex`);
    return (path, end) => regex.fullMatch(end === path.length ? path : path.slice(0, end));
  }
  const value = matcher.value;
  if (typeof value !== 'string') throw new InvalidConfigError(`${field}.value`, 'must be a string');
  const lower = caseSensitive ? undefined : asciiLower(value);
  const n = value.length;
  switch (matcher.kind) {
    case 'prefix':
      return (path, end) => n <= end && regionEquals(path, 0, value, lower);
    case 'path':
      return (path, end) => n === end && regionEquals(path, 0, value, lower);
    case 'pathSeparatedPrefix':
      if (value === '' || value.endsWith('/') || value.includes('?') || value.includes('#')) {
        throw new InvalidConfigError(
          `${field}.value`,
          `pathSeparatedPrefix ${JSON.stringify(value)} must be non-empty, contain no '?' or '#' and not end in '/'`,
        );
      }
      return (path, end) =>
        (n === end || (n < end && path.charCodeAt(n) === SLASH)) && regionEquals(path, 0, value, lower);
  }
  throw new InvalidConfigError(`${field}.kind`, `unknown path matcher kind ${JSON.stringify((matcher as PathMatcher).kind)}`);
}
