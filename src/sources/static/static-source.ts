import { EventEmitter } from 'eventemitter3';
import { EMPTY_SNAPSHOT, type MeshSnapshot } from '../../model/mesh-snapshot';
import type { Source, SourceEvents, TargetStatus } from '../source';

/**
 * A source whose state is set in code: for tests, benchmarks and apps that build their mesh
 * programmatically. `set()` replaces the whole snapshot, like a state-of-the-world update.
 */
export class StaticSource extends EventEmitter<SourceEvents> implements Source {
  readonly scheme: string;
  #snapshot: MeshSnapshot;
  #synced: boolean;
  #closed = false;

  /**
   * @param snapshot the initial state; when given the source is synced at once.
   * @param scheme the scheme that addresses it explicitly (default `static`).
   */
  constructor(snapshot?: MeshSnapshot, scheme = 'static') {
    super();
    this.scheme = scheme;
    this.#snapshot = snapshot ?? EMPTY_SNAPSHOT;
    this.#synced = snapshot !== undefined;
  }

  get snapshot(): MeshSnapshot {
    return this.#snapshot;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** Replaces the state; listeners see `changed` on the next tick. */
  set(snapshot: MeshSnapshot): void {
    if (this.#closed) return;
    this.#snapshot = snapshot;
    this.#synced = true;
    queueMicrotask(() => {
      if (!this.#closed && this.#snapshot === snapshot) this.emit('changed', snapshot);
    });
  }

  async start(): Promise<void> {}

  watch(target: string): string {
    return target;
  }

  unwatch(): void {}

  targetStatus(listenerKey: string): TargetStatus {
    if (this.#snapshot.listeners.has(listenerKey)) return 'exists';
    return this.#synced ? 'doesNotExist' : 'requested';
  }

  restore(snapshot: MeshSnapshot): void {
    if (!this.#synced) {
      this.#snapshot = snapshot;
      this.#synced = true;
    }
  }

  dump(): Record<string, unknown> {
    return {
      version: this.#snapshot.version,
      listeners: [...this.#snapshot.listeners.keys()],
      clusters: [...this.#snapshot.clusters.keys()],
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.removeAllListeners();
  }
}
