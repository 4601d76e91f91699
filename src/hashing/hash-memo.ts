import { xxh64 } from './xxh64';

/**
 * A bounded memo of XXH64 for request values (sticky-session headers, cookies, query parameters).
 * The same values recur request after request, and hashing a short string through WASM costs
 * ~300 ns (UTF-8 copy into WASM memory) against ~30 ns for a Map hit. Eviction is first-in
 * first-out: cheaper than LRU bookkeeping on every hit (lru-cache allocates per `get`), and good
 * enough for a cache whose misses are cheap.
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
      if (this.#map.size >= this.#capacity) this.#map.delete(this.#map.keys().next().value as string);
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
