import { InvalidConfigError } from '../errors';
import type { HeaderMatcher } from '../model/route-table';
import { readHeader } from './header-value';
import { Int64Range } from './int64-range';
import type { RequestContext } from './request-context';
import type { RoutingMode } from './routing-mode';
import { compileStringMatcher, type StringPredicate } from './string-matcher';

/**
 * A compiled {@link HeaderMatcher} (xds-reference §4.3):
 * - the header's values are joined with `,`; `-bin` headers are absent (see {@link readHeader});
 * - `treatMissingAsEmpty` evaluates an absent header as `''`;
 * - otherwise an absent header fails every value test (string, range), and `invert` does not turn
 *   that into a match;
 * - `present` tests presence, and `invert` inverts that test;
 * - `invert` negates the result of a value test on a present header.
 */
export class CompiledHeaderMatcher {
  readonly #name: string;
  readonly #invert: boolean;
  readonly #treatMissingAsEmpty: boolean;
  /** Set for `present` matchers: the presence the matcher asks for. */
  readonly #present: boolean | undefined;
  readonly #string: StringPredicate | undefined;
  readonly #range: Int64Range | undefined;

  /**
   * @param field the matcher's config field, e.g. `virtualHosts[0].routes[1].match.headers[0]`.
   * @throws InvalidConfigError naming the field: empty name, invalid string matcher, range with
   * start > end.
   */
  constructor(matcher: HeaderMatcher, field: string) {
    if (typeof matcher.name !== 'string' || matcher.name === '') {
      throw new InvalidConfigError(`${field}.name`, 'must be a non-empty header name');
    }
    this.#name = matcher.name.toLowerCase();
    this.#invert = matcher.invert === true;
    this.#treatMissingAsEmpty = matcher.treatMissingAsEmpty === true;
    const m = matcher.match;
    switch (m.kind) {
      case 'present':
        this.#present = m.present;
        break;
      case 'string':
        this.#string = compileStringMatcher(m.matcher, `${field}.match.matcher`);
        break;
      case 'range':
        if (typeof m.start !== 'bigint' || typeof m.end !== 'bigint') {
          throw new InvalidConfigError(`${field}.match`, 'range start and end must be bigint');
        }
        if (m.start > m.end) {
          throw new InvalidConfigError(`${field}.match.start`, `range start ${m.start} is greater than end ${m.end}`);
        }
        this.#range = new Int64Range(m.start, m.end);
        break;
      default:
        throw new InvalidConfigError(`${field}.match.kind`, `unknown header match kind ${JSON.stringify((m as { kind: unknown }).kind)}`);
    }
  }

  /** Whether the request satisfies this matcher. `authority` feeds `:authority` in HTTP mode. */
  matches(ctx: RequestContext, authority: string | undefined, mode: RoutingMode): boolean {
    let value = readHeader(ctx, authority, this.#name, mode);
    if (value === undefined && this.#treatMissingAsEmpty) value = '';
    if (this.#present !== undefined) {
      return ((value !== undefined) === this.#present) !== this.#invert;
    }
    if (value === undefined) return false;
    const result = this.#string !== undefined ? this.#string(value) : this.#range!.contains(value);
    return result !== this.#invert;
  }
}
