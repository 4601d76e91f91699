import { InvalidConfigError } from '../errors';
import type { QueryParameterMatcher } from '../model/route-table';
import { findQueryParameter } from './query-string';
import { compileStringMatcher, type StringPredicate } from './string-matcher';

/**
 * A compiled {@link QueryParameterMatcher} (HTTP mode only: the router never matches a route with
 * query-parameter matchers in gRPC mode). Without a string matcher the parameter must be present;
 * with one, its first value (percent-decoded) must match.
 */
export class CompiledQueryParameterMatcher {
  readonly #name: string;
  readonly #value: StringPredicate | undefined;

  /**
   * @param field the matcher's config field, e.g. `virtualHosts[0].routes[1].match.queryParameters[0]`.
   * @throws InvalidConfigError naming the field: empty name or invalid string matcher.
   */
  constructor(matcher: QueryParameterMatcher, field: string) {
    if (typeof matcher.name !== 'string' || matcher.name === '') {
      throw new InvalidConfigError(`${field}.name`, 'must be a non-empty query parameter name');
    }
    this.#name = matcher.name;
    this.#value = matcher.matcher === undefined ? undefined : compileStringMatcher(matcher.matcher, `${field}.matcher`);
  }

  /** Whether the query string of `path` satisfies this matcher. */
  matches(path: string): boolean {
    const value = findQueryParameter(path, this.#name);
    if (value === undefined) return false;
    return this.#value === undefined || this.#value(value);
  }
}
