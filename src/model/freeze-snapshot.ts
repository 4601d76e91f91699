import type { MeshSnapshot } from './mesh-snapshot';

/**
 * A Map that refuses changes once built: `set`, `delete` and `clear` throw a TypeError. Snapshots
 * are shared by every picker without locks, so an accidental write must fail loudly, not race.
 */
export class FrozenMap<K, V> extends Map<K, V> {
  readonly #sealed: boolean;

  constructor(entries?: Iterable<readonly [K, V]>) {
    super();
    for (const [k, v] of entries ?? []) super.set(k, v);
    this.#sealed = true;
    Object.freeze(this);
  }

  /** Throws: the map is frozen. */
  override set(key: K, value: V): this {
    if (this.#sealed) throw new TypeError('snapshot maps are frozen');
    return super.set(key, value);
  }

  /** Throws: the map is frozen. */
  override delete(_key: K): boolean {
    throw new TypeError('snapshot maps are frozen');
  }

  /** Throws: the map is frozen. */
  override clear(): void {
    throw new TypeError('snapshot maps are frozen');
  }
}

/** Freezes a value and everything reachable from it (plain objects, arrays, Map values). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) {
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    return value;
  }
  if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
  else for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** Builds an immutable {@link MeshSnapshot}: frozen maps, every listener, route table and cluster deep-frozen. */
export function freezeSnapshot(snapshot: MeshSnapshot): MeshSnapshot {
  return Object.freeze({
    version: snapshot.version,
    listeners: deepFreeze(new FrozenMap(snapshot.listeners)),
    routeTables: deepFreeze(new FrozenMap(snapshot.routeTables)),
    clusters: deepFreeze(new FrozenMap(snapshot.clusters)),
  });
}
