import { InvalidConfigError } from '../errors';
import type { StringMatcher } from '../model/route-table';
import { asciiLower, containsIgnoreCase, regionEqualsIgnoreCase } from './ascii-case';
import { compileSafeRegex } from './safe-regex';

/** A compiled {@link StringMatcher}: whether a value matches. Never throws. */
export type StringPredicate = (value: string) => boolean;

/**
 * Checks a string matcher: `prefix`, `suffix` and `contains` need a non-empty value (Envoy rejects
 * empty ones; use a presence test instead) and a regex must be valid RE2.
 * @throws InvalidConfigError naming `field`.
 */
export function validateStringMatcher(matcher: StringMatcher, field: string): void {
  compileStringMatcher(matcher, field);
}

/**
 * Compiles a string matcher to a predicate. `ignoreCase` folds ASCII letters only, as Envoy does;
 * a regex must match the whole value.
 * @throws InvalidConfigError naming `field` for an invalid matcher (see {@link validateStringMatcher}).
 */
export function compileStringMatcher(matcher: StringMatcher, field: string): StringPredicate {
  if (matcher.kind === 'regex') return compileSafeRegex(matcher.regex, `${field}.regex`).fullMatch;
  const { kind, value, ignoreCase } = matcher;
  if (typeof value !== 'string') throw new InvalidConfigError(`${field}.value`, 'must be a string');
  if (kind !== 'exact' && value === '') {
    throw new InvalidConfigError(`${field}.value`, `an empty ${kind} matcher is not allowed (use a presence test)`);
  }
  if (ignoreCase) {
    const lower = asciiLower(value);
    switch (kind) {
      case 'exact':
        return (v) => v.length === lower.length && regionEqualsIgnoreCase(v, 0, lower);
      case 'prefix':
        return (v) => regionEqualsIgnoreCase(v, 0, lower);
      case 'suffix':
        return (v) => regionEqualsIgnoreCase(v, v.length - lower.length, lower);
      case 'contains':
        return (v) => containsIgnoreCase(v, lower);
    }
  }
  switch (kind) {
    case 'exact':
      return (v) => v === value;
    case 'prefix':
      return (v) => v.startsWith(value);
    case 'suffix':
      return (v) => v.endsWith(value);
    case 'contains':
      return (v) => v.includes(value);
  }
  throw new InvalidConfigError(`${field}.kind`, `unknown string matcher kind ${JSON.stringify(kind)}`);
}
