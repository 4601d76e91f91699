import type { Cluster } from './cluster';
import type { Listener } from './listener';
import type { RouteTable } from './route-table';

/**
 * Everything one source knows, at one moment. Immutable: a change builds a new snapshot that
 * replaces the old one atomically.
 */
export interface MeshSnapshot {
  /** Opaque version string, changes with every accepted update. */
  readonly version: string;
  readonly listeners: ReadonlyMap<string, Listener>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  readonly clusters: ReadonlyMap<string, Cluster>;
}

/** A snapshot with nothing in it. */
export const EMPTY_SNAPSHOT: MeshSnapshot = Object.freeze({
  version: '',
  listeners: new Map(),
  routeTables: new Map(),
  clusters: new Map(),
});

/** The route table a listener uses, inline or by name; undefined when not (yet) known. */
export function routeTableOf(snapshot: MeshSnapshot, listener: Listener): RouteTable | undefined {
  if (listener.routeTable) return listener.routeTable;
  return listener.routeTableName === undefined ? undefined : snapshot.routeTables.get(listener.routeTableName);
}

/** Parts accepted by {@link createMeshSnapshot}. */
export interface MeshSnapshotInit {
  version?: string;
  listeners?: readonly Listener[];
  routeTables?: readonly RouteTable[];
  clusters?: readonly Cluster[];
}

/** Builds a frozen {@link MeshSnapshot} from lists, keyed by name. */
export function createMeshSnapshot(init: MeshSnapshotInit): MeshSnapshot {
  return Object.freeze({
    version: init.version ?? '',
    listeners: new Map((init.listeners ?? []).map((l) => [l.name, l])),
    routeTables: new Map((init.routeTables ?? []).map((r) => [r.name, r])),
    clusters: new Map((init.clusters ?? []).map((c) => [c.name, c])),
  });
}
