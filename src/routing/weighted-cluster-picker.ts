import { InvalidConfigError } from '../errors';
import { randomBelow } from './fast-random';
import type { ClusterWeight } from '../model/route-table';

/** The largest total weight Envoy accepts (uint32). */
export const MAX_TOTAL_WEIGHT = 4_294_967_295;
/** Below this many clusters a linear walk beats a binary search. */
const LINEAR_SEARCH_MAX = 8;

/**
 * Picks among weighted clusters (xds-reference §4.4): entries of weight 0 are dropped, the total is
 * the sum of the rest (any deprecated `total_weight` is ignored), and each pick draws one integer
 * `r` uniformly in [0, total) and takes the first cluster whose cumulative weight exceeds `r`.
 * The split does not depend on cluster health (gRFC A31).
 */
export class WeightedClusterPicker {
  readonly #names: readonly string[];
  readonly #cumulative: Float64Array;
  readonly #total: number;

  /**
   * @param field the config field of the cluster list, e.g. `virtualHosts[0].routes[0].action.clusters`.
   * @throws InvalidConfigError naming the field: a weight that is not an integer >= 0, an empty
   * name, a total of 0 or above 4,294,967,295.
   */
  constructor(clusters: readonly ClusterWeight[], field: string) {
    const names: string[] = [];
    const cumulative: number[] = [];
    let total = 0;
    clusters.forEach((c, i) => {
      if (typeof c.name !== 'string' || c.name === '') {
        throw new InvalidConfigError(`${field}[${i}].name`, 'must be a non-empty cluster name');
      }
      if (!Number.isInteger(c.weight) || c.weight < 0) {
        throw new InvalidConfigError(`${field}[${i}].weight`, `must be an integer >= 0, got ${c.weight}`);
      }
      if (c.weight === 0) return;
      total += c.weight;
      names.push(c.name);
      cumulative.push(total);
    });
    if (total === 0) throw new InvalidConfigError(field, 'the weights of the clusters sum to 0');
    if (total > MAX_TOTAL_WEIGHT) {
      throw new InvalidConfigError(field, `the weights of the clusters sum to ${total}, above ${MAX_TOTAL_WEIGHT}`);
    }
    this.#names = names;
    this.#cumulative = Float64Array.from(cumulative);
    this.#total = total;
  }

  /** The sum of the weights. */
  get totalWeight(): number {
    return this.#total;
  }

  /**
   * One weighted draw.
   * @param random uniform in [0, 1); default a non-allocating xorshift128 generator (see
   * fast-random.ts: Math.random allocates on every call).
   */
  pick(random?: () => number): string {
    const r = randomBelow(this.#total, random);
    const cumulative = this.#cumulative;
    const n = cumulative.length;
    if (n <= LINEAR_SEARCH_MAX) {
      for (let i = 0; i < n - 1; i++) {
        if (cumulative[i]! > r) return this.#names[i]!;
      }
      return this.#names[n - 1]!;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.#names[lo]!;
  }
}
