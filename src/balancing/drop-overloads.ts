import type { DropOverload } from '../model/cluster';

/**
 * EDS `drop_overloads`: before an endpoint is chosen, each category gets one independent draw and
 * drops the request with probability `dropPerMillion / 1e6` (A27). Counts drops per category.
 * @internal
 */
export class DropOverloads {
  #categories: readonly string[] = [];
  #perMillion = new Float64Array(0);
  #dropped = new Float64Array(0);

  /** Applies a new category list. Counts of categories that stay are kept. */
  configure(drops: readonly DropOverload[]): void {
    const previous = new Map(this.#categories.map((c, i) => [c, this.#dropped[i]!]));
    const kept = drops.filter((d) => d.dropPerMillion > 0);
    this.#categories = kept.map((d) => d.category);
    this.#perMillion = Float64Array.from(kept, (d) => Math.min(1_000_000, d.dropPerMillion));
    this.#dropped = Float64Array.from(kept, (d) => previous.get(d.category) ?? 0);
  }

  /** Draws for each category in order; true (and counted) when one of them drops the request. */
  shouldDrop(random: () => number): boolean {
    const perMillion = this.#perMillion;
    for (let i = 0; i < perMillion.length; i++) {
      if (random() * 1_000_000 < perMillion[i]!) {
        this.#dropped[i] = this.#dropped[i]! + 1;
        return true;
      }
    }
    return false;
  }

  /** Drops so far by category (for load reports). */
  droppedByCategory(): Record<string, number> {
    const out: Record<string, number> = {};
    this.#categories.forEach((c, i) => (out[c] = this.#dropped[i]!));
    return out;
  }
}
