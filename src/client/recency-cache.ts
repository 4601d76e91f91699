interface Entry<K, V> {
  readonly key: K;
  value: V;
  /** Toward the least recently used end. */
  older: Entry<K, V> | undefined;
  /** Toward the most recently used end. */
  newer: Entry<K, V> | undefined;
}

/**
 * A bounded map that forgets its least recently used entry when full, calling `onEvict` for it.
 *
 * Hand-written rather than lru-cache: it sits on `MeshClient`'s load path, whose cold start to the
 * first pick is budgeted, and loading lru-cache costs 3–6 ms there. A `Map` kept in insertion order
 * is not enough either: V8 leaves a hole for each deleted entry until the table is rebuilt, so
 * finding the oldest entry after many evictions scans thousands of holes (~20 µs per new host in a
 * flood of distinct hosts). Hence a `Map` for lookup plus a doubly-linked recency list.
 */
export class RecencyCache<K, V> {
  readonly #entries = new Map<K, Entry<K, V>>();
  readonly #max: number;
  readonly #onEvict: (key: K, value: V) => void;
  #oldest: Entry<K, V> | undefined;
  #newest: Entry<K, V> | undefined;

  /**
   * @param max entries kept (at least 1); setting one more evicts the least recently used.
   * @param onEvict called for an entry pushed out by {@link set}, never for {@link delete} or {@link clear}.
   */
  constructor(max: number, onEvict: (key: K, value: V) => void = () => undefined) {
    this.#max = Math.max(1, max);
    this.#onEvict = onEvict;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The most entries held before the oldest is evicted. */
  get max(): number {
    return this.#max;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The value, marking the entry as just used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#moveToNewest(entry);
    return entry.value;
  }

  /** Marks the entry as just used; a key not held is ignored. */
  touch(key: K): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#moveToNewest(entry);
  }

  /** Adds or replaces an entry as the most recently used, evicting the least recently used one when full. */
  set(key: K, value: V): void {
    const existing = this.#entries.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.#moveToNewest(existing);
      return;
    }
    const entry: Entry<K, V> = { key, value, older: this.#newest, newer: undefined };
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
    this.#entries.set(key, entry);
    if (this.#entries.size <= this.#max) return;
    const evicted = this.#oldest!;
    this.#unlink(evicted);
    this.#entries.delete(evicted.key);
    this.#onEvict(evicted.key, evicted.value);
  }

  /** Removes an entry without calling `onEvict`. */
  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#unlink(entry);
    return this.#entries.delete(key);
  }

  /** Removes every entry without calling `onEvict`. */
  clear(): void {
    this.#entries.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
  }

  #moveToNewest(entry: Entry<K, V>): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry<K, V>): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}
