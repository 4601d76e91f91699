import { xxh64 } from './xxh64';

/** Values shorter than this (UTF-16 units) are hashed on every call, never memoised. */
export const MEMO_MIN_LENGTH = 32;

/**
 * XXH64 of request values (sticky-session headers, cookies, query parameters), memoised for long
 * values only.
 *
 * Short values (user ids, most session ids) are hashed each time: xxh64-parts.ts does that in
 * ≈ 60-120 ns without allocating, about what a memo costs when it misses (a Map lookup that misses
 * ≈ 50 ns, then an insert, and the Map's backing stores reallocated as it grows). Measured on
 * `pick()` with ring_hash (bench/pick.bench.ts): memoising every value gave ≈ 345 ns when 1,000
 * users recur and ≈ 575 ns with 50,000 distinct users; hashing short values directly gives
 * ≈ 385 and ≈ 410 ns. Long values (tokens, long cookies) go to the WASM hash (≈ 200 ns and
 * more, plus a BigInt), so a hit is still worth a Map lookup.
 *
 * When full, the memo is emptied and refills with the values that keep coming. Per-miss eviction
 * cost more than it saved: first-in first-out through `map.keys().next()` walks over the deleted
 * entries V8 keeps until it compacts (≈ 1.9 µs per miss at 50,000 distinct values), and LRU
 * bookkeeping (lru-cache) allocates on every hit.
 */
export class HashMemo {
  readonly #map = new Map<string, bigint>();
  readonly #capacity: number;

  /** @param capacity the most long values kept (default 4096). */
  constructor(capacity = 4096) {
    this.#capacity = capacity;
  }

  /** XXH64 (seed 0) of `value`, from the memo when it is long and was seen recently. */
  hash(value: string): bigint {
    if (value.length < MEMO_MIN_LENGTH) return xxh64(value);
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
