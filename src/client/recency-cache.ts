/**
 * A bounded map that forgets its least recently used entry when full, calling `onEvict` for it.
 *
 * Hand-written rather than lru-cache: it sits on `MeshClient`'s load path, whose cold start to the
 * first pick is budgeted, and loading lru-cache costs 3–6 ms there; the client needs only
 * set / touch / delete / evict-oldest, which a `Map` kept in insertion order gives (the first key
 * is the least recently used one).
 */
export class RecencyCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;
  readonly #onEvict: (key: K, value: V) => void;
  /** The most recently used key: touching it again needs no re-insertion (a run of picks for one host). */
  #newest: K | undefined;

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
    const value = this.#entries.get(key);
    if (value !== undefined) this.#touch(key, value);
    return value;
  }

  /** Marks the entry as just used; a key not held is ignored. */
  touch(key: K): void {
    const value = this.#entries.get(key);
    if (value !== undefined) this.#touch(key, value);
  }

  /** Adds or replaces an entry as the most recently used, evicting the least recently used one when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    if (this.#entries.size <= this.#max) return;
    const oldest = this.#entries.keys().next().value as K;
    const evicted = this.#entries.get(oldest) as V;
    this.#entries.delete(oldest);
    this.#onEvict(oldest, evicted);
  }

  /** Removes an entry without calling `onEvict`. */
  delete(key: K): boolean {
    if (this.#newest === key) this.#newest = undefined;
    return this.#entries.delete(key);
  }

  /** Removes every entry without calling `onEvict`. */
  clear(): void {
    this.#newest = undefined;
    this.#entries.clear();
  }

  #touch(key: K, value: V): void {
    if (this.#newest === key) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
  }
}
