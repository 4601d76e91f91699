import { InvalidConfigError } from '../errors';
import { asciiLower } from './ascii-case';

/** Authorities remembered per matcher; a client talks to few targets, so this rarely evicts. */
const MEMO_SIZE = 1024;
// The memo is a Map with first-in-first-out eviction rather than lru-cache: LRUCache.get() builds
// an options object on every call (56 bytes per routed request), and with a handful of authorities
// per client recency buys nothing.

/** The four classes of domain pattern, best first (xds-reference §4.1). */
export type DomainPatternKind = 'exact' | 'suffixWildcard' | 'prefixWildcard' | 'any';

/**
 * The kind of a virtual-host domain pattern: `*` alone, `*suffix`, `prefix*` or exact.
 * @throws InvalidConfigError naming `field` for an empty pattern or a `*` anywhere else (gRPC
 * treats such a route table as unusable).
 */
export function validateDomain(domain: string, field: string): DomainPatternKind {
  if (typeof domain !== 'string' || domain === '') throw new InvalidConfigError(field, 'domain must be a non-empty string');
  if (domain === '*') return 'any';
  const star = domain.indexOf('*');
  if (star < 0) return 'exact';
  if (star !== domain.lastIndexOf('*') || (star !== 0 && star !== domain.length - 1)) {
    throw new InvalidConfigError(
      field,
      `invalid domain pattern ${JSON.stringify(domain)}: a single '*' is allowed only at the start or the end`,
    );
  }
  return star === 0 ? 'suffixWildcard' : 'prefixWildcard';
}

interface Wildcard {
  /** The pattern without its `*`, ASCII lower-case. */
  readonly fixed: string;
  readonly index: number;
}

/** Anything with a list of domain patterns (a {@link VirtualHost}). */
export interface HasDomains {
  readonly domains: readonly string[];
}

/**
 * Picks the virtual host for an authority as Envoy and gRPC do (xds-reference §4.1): an exact
 * domain, else the longest matching `*suffix`, else the longest matching `prefix*`, else `*`.
 * Wildcards match at least one character; comparison folds ASCII case; a `:port` in the authority
 * is compared as part of it. Answers are memoized per authority (up to 1,024 authorities).
 */
export class VirtualHostMatcher {
  readonly #exact = new Map<string, number>();
  readonly #suffixes: Wildcard[] = [];
  readonly #prefixes: Wildcard[] = [];
  #any = -1;
  readonly #memo = new Map<string, number>();

  /**
   * @param virtualHosts the virtual hosts, in route-table order; {@link match} returns an index.
   * @param fieldPrefix prefix of field paths in errors, e.g. `routeTables[0].` (may be empty).
   * @throws InvalidConfigError naming `virtualHosts[i].domains[j]` for an invalid pattern or a
   * domain that appears twice (case-insensitively) in the table.
   */
  constructor(virtualHosts: readonly HasDomains[], fieldPrefix = '') {
    const seen = new Set<string>();
    virtualHosts.forEach((vh, i) => {
      vh.domains.forEach((domain, j) => {
        const field = `${fieldPrefix}virtualHosts[${i}].domains[${j}]`;
        const kind = validateDomain(domain, field);
        const lower = asciiLower(domain);
        if (seen.has(lower)) {
          throw new InvalidConfigError(field, `duplicate domain ${JSON.stringify(domain)}: domains must be unique across virtual hosts`);
        }
        seen.add(lower);
        switch (kind) {
          case 'exact':
            this.#exact.set(lower, i);
            break;
          case 'suffixWildcard':
            this.#suffixes.push({ fixed: lower.slice(1), index: i });
            break;
          case 'prefixWildcard':
            this.#prefixes.push({ fixed: lower.slice(0, -1), index: i });
            break;
          case 'any':
            this.#any = i;
            break;
        }
      });
    });
    // Longer patterns win within a class: try them first.
    this.#suffixes.sort((a, b) => b.fixed.length - a.fixed.length);
    this.#prefixes.sort((a, b) => b.fixed.length - a.fixed.length);
  }

  /** The index of the virtual host for `authority`, or -1 when none matches. Never throws. */
  match(authority: string): number {
    const known = this.#memo.get(authority);
    if (known !== undefined) return known;
    const index = this.#resolve(asciiLower(authority));
    if (this.#memo.size >= MEMO_SIZE) this.#memo.delete(this.#memo.keys().next().value!);
    this.#memo.set(authority, index);
    return index;
  }

  #resolve(host: string): number {
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    for (const s of this.#suffixes) {
      if (host.length > s.fixed.length && host.endsWith(s.fixed)) return s.index;
    }
    for (const p of this.#prefixes) {
      if (host.length > p.fixed.length && host.startsWith(p.fixed)) return p.index;
    }
    return this.#any;
  }
}
