import type { EventEmitter } from 'eventemitter3';
import type { MeshError } from '../errors';
import type { MeshSnapshot } from '../model/mesh-snapshot';

/** Whether a source knows a watched target. */
export type TargetStatus = 'requested' | 'exists' | 'doesNotExist';

/**
 * Which entries of a snapshot differ from `since`, an earlier snapshot of the same source: every
 * entry not listed is the very same object in both. Lets a consumer that applied `since` update
 * only what changed (an incremental xDS update of one cluster among 10,000).
 */
export interface SnapshotChange {
  /** The snapshot this change is relative to; a consumer that did not apply it must ignore the hint. */
  readonly since: MeshSnapshot;
  /** Listener keys added, replaced or removed. */
  readonly listeners: readonly string[];
  /** Route table names added, replaced or removed. */
  readonly routeTables: readonly string[];
  /** Cluster names added, replaced or removed. */
  readonly clusters: readonly string[];
}

/** Events every {@link Source} emits. Listeners are never called synchronously from `watch()`. */
export interface SourceEvents {
  /**
   * A valid update was accepted; `snapshot` is the source's complete new state. `change`, when
   * given, says which entries differ from an earlier snapshot (an optimisation hint; a listener may
   * ignore it and treat `snapshot` as entirely new).
   */
  changed: (snapshot: MeshSnapshot, change?: SnapshotChange) => void;
  /** An update was invalid and rejected; the previous snapshot keeps serving. */
  rejected: (error: MeshError) => void;
  /** A transport or protocol problem; the previous snapshot keeps serving. */
  error: (error: MeshError) => void;
}

/**
 * A control-plane source: turns a protocol (mesh file, xDS, Nacos) into {@link MeshSnapshot}s.
 * Sources never import routing or balancing; the client never imports protocol shapes.
 */
export interface Source extends EventEmitter<SourceEvents> {
  /** The URI scheme that addresses this source explicitly: `file`, `xds`, `nacos`. */
  readonly scheme: string;
  /** The current (last good) state. */
  readonly snapshot: MeshSnapshot;
  /** True once the source has delivered its first complete state (or loaded one from cache). */
  readonly synced: boolean;
  /** Starts connecting / reading. Resolves when started, not when synced. */
  start(): Promise<void>;
  /**
   * Asks for a target (the part after the scheme, or a bare name). Idempotent. Returns the key of the
   * target's listener in {@link Source.snapshot}, or undefined if this source cannot serve that name.
   */
  watch(target: string): string | undefined;
  /** Drops interest in a target previously watched. */
  unwatch(target: string): void;
  /** Status of a watched listener key. */
  targetStatus(listenerKey: string): TargetStatus;
  /** Replaces the state with one loaded from the on-disk cache, when the source has none yet. */
  restore(snapshot: MeshSnapshot): void;
  /** JSON-serialisable state for `dump()`, secrets redacted. */
  dump(): Record<string, unknown>;
  /** Stops all I/O. Idempotent. */
  close(): Promise<void>;
}
