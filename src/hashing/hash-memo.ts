import { xxh64 } from './xxh64';

/**
 * A bounded memo of XXH64 for request values (sticky-session headers, cookies, query parameters).
 * The same values recur request after request: a hit (≈ 20-40 ns) returns the BigInt already
 * built, where hashing a short value costs ≈ 80-150 ns (xxh64-parts.ts) and allocates the BigInt.
 *
 * When full, the memo is emptied and refills with the values that keep coming, so a miss costs
 * the hash plus one Map insert. Per-miss eviction cost more than it saved: first-in first-out
 * through `map.keys().next()` walked over the deleted entries V8 keeps until it compacts
 * (≈ 1.9 µs per miss at 50,000 distinct values), a ring of keys with `map.delete` still doubled
 * the miss (≈ 270 ns against ≈ 200 ns for clear-when-full; measured with 50,000 distinct values),
 * and LRU bookkeeping (lru-cache) allocates on every hit.
 */
export class HashMemo {
  readonly #map = new Map<string, bigint>();
  readonly #capacity: number;

  /** @param capacity the most values kept (default 4096). */
  constructor(capacity = 4096) {
    this.#capacity = capacity;
  }

  /** XXH64 (seed 0) of `value`, from the memo when seen recently. */
  hash(value: string): bigint {
    let h = this.#map.get(value);
    if (h === undefined) {
      h = xxh64(value);
      if (this.#map.size >= this.#capacity) this.#map.clear();
      this.#map.set(value, h);
    }
    return h;
  }

  /** Number of memoised values. */
  get size(): number {
    return this.#map.size;
  }
}

/** The process-wide memo used for request hashing. */
export const requestValueHashes = new HashMemo();
