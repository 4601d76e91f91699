import { createCluster, type Cluster, type DropOverload, type PriorityLevel } from '../../model/cluster';
import { createEndpoint } from '../../model/endpoint';
import type { Listener } from '../../model/listener';
import type { MeshSnapshot } from '../../model/mesh-snapshot';
import type { RouteTable } from '../../model/route-table';
import { CLUSTER_LOAD_ASSIGNMENT_RESOURCE, type XdsEndpoints } from './resources/cluster-load-assignment-resource';
import { CLUSTER_RESOURCE, type XdsCluster } from './resources/cluster-resource';
import { LISTENER_RESOURCE } from './resources/listener-resource';
import type { XdsResourceType } from './resources/resource-type';
import { ROUTE_CONFIGURATION_RESOURCE } from './resources/route-configuration-resource';
import type { SnapshotChange } from '../source';
import { OverlayMap } from './overlay-map';
import { clustersForAuthority } from './virtual-host-clusters';
import type { XdsClient } from './xds-client';

/** A37: aggregate clusters nest at most this deep. */
export const MAX_AGGREGATE_DEPTH = 16;

type WatchState = 'pending' | 'ok' | 'missing';

/** Which resource type a watch is on. */
type WatchKind = 'listener' | 'route' | 'cluster' | 'endpoints';

/** Receives each published snapshot and, for an incremental one, what changed since the last. */
export type SnapshotListener = (snapshot: MeshSnapshot, change?: SnapshotChange) => void;

/** True when two CDS values reference the same resources (same EDS name, same aggregate children). */
function sameDependencies(a: XdsCluster, b: XdsCluster): boolean {
  const x = a.discovery;
  const y = b.discovery;
  if (x.kind !== y.kind) return false;
  if (x.kind === 'eds' && y.kind === 'eds') return x.serviceName === y.serviceName;
  if (x.kind === 'aggregate' && y.kind === 'aggregate') return x.children.length === y.children.length && x.children.every((c, i) => c === y.children[i]);
  return true;
}

function addTo(index: Map<string, string[]>, key: string, value: string): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

interface Watched<T> {
  value: T | undefined;
  state: WatchState;
  cancel: () => void;
}

/**
 * Follows the xDS dependency chain LDS → RDS → CDS (→ aggregate children) → EDS for every watched
 * target (xds-reference §1.5), subscribing to what is referenced and unsubscribing what no longer
 * is, and assembles one consistent {@link MeshSnapshot}: a target's new state is published only
 * once everything it references has arrived or is known not to exist ("make before break").
 */
export class DependencyManager {
  readonly #client: XdsClient;
  readonly #onSnapshot: SnapshotListener;
  /** target key → LDS resource name */
  readonly #targets = new Map<string, string>();
  readonly #listeners = new Map<string, Watched<Listener>>();
  readonly #routes = new Map<string, Watched<RouteTable>>();
  readonly #clusters = new Map<string, Watched<XdsCluster>>();
  readonly #endpoints = new Map<string, Watched<XdsEndpoints>>();
  /**
   * Model clusters built by the last publication, with the inputs they were built from: an
   * unchanged cluster keeps its object, so a one-cluster update does not rebuild (and MeshClient
   * does not re-balance) the other 9,999.
   */
  readonly #built = new Map<string, { readonly source: XdsCluster; readonly endpoints: XdsEndpoints | undefined; readonly model: Cluster }>();
  #scheduled = false;
  #dirty = false;
  /**
   * Incremental path (a delta update of one endpoint set among 10,000 must apply in < 1 ms): while
   * only values change that reference nothing new (an EDS update, a CDS update with the same
   * EDS name / children), no walk of the whole chain is needed; only the clusters built from them
   * (and aggregates over those) are rebuilt. Anything else (targets, listeners, routes, a resource
   * appearing, failing or disappearing) sets `#structural` and takes the full walk.
   */
  #structural = true;
  readonly #changedClusters = new Set<string>();
  readonly #changedEndpoints = new Set<string>();
  /** From the last full walk: EDS service name → clusters that read it. */
  #edsUsers = new Map<string, string[]>();
  /** From the last full walk: cluster → aggregate clusters listing it as a child. */
  #parents = new Map<string, string[]>();
  /** From the last full publication: the depth at which each aggregate cluster was flattened. */
  readonly #aggregateDepth = new Map<string, number>();
  /** Every target was complete in the last full walk. */
  #allComplete = false;
  #version = 0;
  #last: MeshSnapshot | undefined;
  #closed = false;

  constructor(client: XdsClient, onSnapshot: SnapshotListener) {
    this.#client = client;
    this.#onSnapshot = onSnapshot;
  }

  /** Watches a target: `key` is its listener key in snapshots, `resourceName` its LDS name. */
  addTarget(key: string, resourceName: string): void {
    if (this.#targets.get(key) === resourceName) return;
    this.#targets.set(key, resourceName);
    this.#structural = true;
    this.#schedule();
  }

  removeTarget(key: string): void {
    if (!this.#targets.delete(key)) return;
    this.#structural = true;
    this.#schedule();
  }

  /** Cancels every watch. */
  close(): void {
    this.#closed = true;
    for (const map of [this.#listeners, this.#routes, this.#clusters, this.#endpoints] as Map<string, Watched<unknown>>[]) {
      for (const w of map.values()) w.cancel();
      map.clear();
    }
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    // One recomputation per burst of watcher callbacks (a SotW response can touch thousands).
    queueMicrotask(() => {
      this.#scheduled = false;
      if (!this.#closed) this.#recompute();
    });
  }

  /** Records a new value: incremental when it replaces a value and references nothing new. */
  #noteValue(kind: WatchKind, name: string, previous: unknown, value: unknown): void {
    if (previous === undefined) this.#structural = true;
    else if (kind === 'endpoints') this.#changedEndpoints.add(name);
    else if (kind === 'cluster' && sameDependencies(previous as XdsCluster, value as XdsCluster)) this.#changedClusters.add(name);
    else this.#structural = true;
  }

  #watch<T>(map: Map<string, Watched<T>>, kind: WatchKind, type: XdsResourceType<T>, name: string): Watched<T> {
    let w = map.get(name);
    if (w) return w;
    const watched: Watched<T> = { value: undefined, state: 'pending', cancel: () => undefined };
    watched.cancel = this.#client.watch(type, name, {
      onResource: (value) => {
        const previous = watched.state === 'ok' ? watched.value : undefined;
        watched.value = value;
        watched.state = 'ok';
        if (map.get(name) === watched) this.#noteValue(kind, name, previous, value);
        this.#schedule();
      },
      onError: () => {
        // A46: invalid with no previous version; the NACK is reported by the source.
        if (watched.value === undefined) watched.state = 'missing';
        this.#structural = true;
        this.#schedule();
      },
      onDoesNotExist: () => {
        watched.value = undefined;
        watched.state = 'missing';
        this.#structural = true;
        this.#schedule();
      },
    });
    map.set(name, watched);
    w = watched;
    return w;
  }

  #prune<T>(map: Map<string, Watched<T>>, keep: ReadonlySet<string>): void {
    for (const [name, w] of map) {
      if (keep.has(name)) continue;
      w.cancel();
      map.delete(name);
    }
  }

  /** Walks the chain, (un)subscribes, and publishes a snapshot when something changed. */
  #recompute(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const last = this.#last;
    const incremental = !this.#structural && this.#allComplete && last !== undefined && (this.#changedClusters.size > 0 || this.#changedEndpoints.size > 0);
    this.#structural = false;
    if (incremental) {
      this.#publishChanges(last);
      return;
    }
    this.#changedClusters.clear();
    this.#changedEndpoints.clear();
    const edsUsers = new Map<string, string[]>();
    const parents = new Map<string, string[]>();
    const wantListeners = new Set<string>();
    const wantRoutes = new Set<string>();
    const wantClusters = new Set<string>();
    const wantEndpoints = new Set<string>();
    const complete = new Map<string, boolean>();
    const clusterComplete = new Map<string, boolean>();

    const visitCluster = (name: string, depth: number): boolean => {
      const known = clusterComplete.get(name);
      if (known !== undefined) return known;
      clusterComplete.set(name, true); // breaks cycles
      wantClusters.add(name);
      const w = this.#watch(this.#clusters, 'cluster', CLUSTER_RESOURCE, name);
      let ok = w.state !== 'pending';
      const c = w.value;
      if (c?.discovery.kind === 'eds') {
        wantEndpoints.add(c.discovery.serviceName);
        addTo(edsUsers, c.discovery.serviceName, name);
        ok = this.#watch(this.#endpoints, 'endpoints', CLUSTER_LOAD_ASSIGNMENT_RESOURCE, c.discovery.serviceName).state !== 'pending' && ok;
      } else if (c?.discovery.kind === 'aggregate') {
        for (const child of c.discovery.children) addTo(parents, child, name);
        if (depth < MAX_AGGREGATE_DEPTH) for (const child of c.discovery.children) ok = visitCluster(child, depth + 1) && ok;
      }
      clusterComplete.set(name, ok);
      return ok;
    };

    for (const [key, ldsName] of this.#targets) {
      wantListeners.add(ldsName);
      const lw = this.#watch(this.#listeners, 'listener', LISTENER_RESOURCE, ldsName);
      let ok = lw.state !== 'pending';
      const listener = lw.value;
      let table: RouteTable | undefined = listener?.routeTable;
      if (listener?.routeTableName !== undefined) {
        wantRoutes.add(listener.routeTableName);
        const rw = this.#watch(this.#routes, 'route', ROUTE_CONFIGURATION_RESOURCE, listener.routeTableName);
        ok = rw.state !== 'pending' && ok;
        table = rw.value;
      }
      if (table) for (const cluster of clustersForAuthority(table, key)) ok = visitCluster(cluster, 1) && ok;
      complete.set(key, ok);
    }
    this.#prune(this.#listeners, wantListeners);
    this.#prune(this.#routes, wantRoutes);
    this.#prune(this.#clusters, wantClusters);
    this.#prune(this.#endpoints, wantEndpoints);
    this.#edsUsers = edsUsers;
    this.#parents = parents;
    this.#allComplete = this.#targets.size > 0 && [...complete.values()].every((ok) => ok);
    this.#publish(complete);
  }

  /**
   * The incremental path: every target is complete and only values that reference nothing new
   * changed. Rebuilds the clusters built from them (and aggregates over those) and publishes a
   * snapshot sharing everything else with the last one, with a {@link SnapshotChange} hint.
   */
  #publishChanges(last: MeshSnapshot): void {
    const affected = new Set<string>(this.#changedClusters);
    for (const eds of this.#changedEndpoints) for (const name of this.#edsUsers.get(eds) ?? []) affected.add(name);
    this.#changedClusters.clear();
    this.#changedEndpoints.clear();
    const queue = [...affected];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const parent of this.#parents.get(name) ?? []) {
        if (affected.has(parent)) continue;
        affected.add(parent);
        queue.push(parent);
      }
    }
    const updates: Array<[string, Cluster]> = [];
    for (const name of affected) {
      const before = last.clusters.get(name);
      if (before === undefined) continue;
      const model = this.#model(name, this.#aggregateDepth.get(name) ?? 1);
      if (model !== undefined && model !== before) updates.push([name, model]);
    }
    const snapshot: MeshSnapshot = Object.freeze({
      version: String(++this.#version),
      listeners: last.listeners,
      routeTables: last.routeTables,
      clusters: updates.length === 0 ? last.clusters : OverlayMap.with(last.clusters, updates),
    });
    this.#last = snapshot;
    this.#onSnapshot(snapshot, Object.freeze({ since: last, listeners: [], routeTables: [], clusters: updates.map(([name]) => name) }));
  }

  #publish(complete: ReadonlyMap<string, boolean>): void {
    const last = this.#last;
    const listeners = new Map<string, Listener>();
    const routeTables = new Map<string, RouteTable>();
    const clusters = new Map<string, Cluster>();
    let anyComplete = false;
    for (const [key, ldsName] of this.#targets) {
      if (complete.get(key)) {
        anyComplete = true;
        const listener = this.#listeners.get(ldsName)?.value;
        if (!listener) continue;
        listeners.set(key, listener.name === key ? listener : Object.freeze({ ...listener, name: key }));
        let table = listener.routeTable;
        if (listener.routeTableName !== undefined) {
          table = this.#routes.get(listener.routeTableName)?.value;
          if (table) routeTables.set(listener.routeTableName, table);
        }
        if (table) for (const name of clustersForAuthority(table, key)) this.#addCluster(name, clusters, 1);
      } else if (last) {
        // Not yet complete: keep what this target had in the last published snapshot.
        const listener = last.listeners.get(key);
        if (!listener) continue;
        listeners.set(key, listener);
        let table = listener.routeTable;
        if (listener.routeTableName !== undefined) {
          table = last.routeTables.get(listener.routeTableName);
          if (table && !routeTables.has(listener.routeTableName)) routeTables.set(listener.routeTableName, table);
        }
        if (table) {
          for (const name of clustersForAuthority(table, key)) {
            const c = last.clusters.get(name);
            if (c && !clusters.has(name)) clusters.set(name, c);
          }
        }
      }
    }
    if (!anyComplete && this.#targets.size > 0) return;
    for (const name of this.#built.keys()) if (!clusters.has(name)) this.#built.delete(name);
    for (const name of this.#aggregateDepth.keys()) if (!clusters.has(name)) this.#aggregateDepth.delete(name);
    const snapshot: MeshSnapshot = Object.freeze({
      version: String(++this.#version),
      listeners,
      routeTables,
      clusters,
    });
    this.#last = snapshot;
    this.#onSnapshot(snapshot);
  }

  /** Adds a model cluster (and, for aggregates, their children) to `out`. */
  #addCluster(name: string, out: Map<string, Cluster>, depth: number): void {
    if (out.has(name)) return;
    const model = this.#model(name, depth);
    if (model === undefined) return;
    out.set(name, model);
    const c = this.#clusters.get(name)?.value;
    if (c?.discovery.kind === 'aggregate') {
      this.#aggregateDepth.set(name, depth);
      for (const child of c.discovery.children) this.#addCluster(child, out, depth + 1);
    }
  }

  /** The model of one cluster (an aggregate flattened at `depth`); unchanged inputs keep the last object. */
  #model(name: string, depth: number): Cluster | undefined {
    const c = this.#clusters.get(name)?.value;
    if (!c) return undefined;
    if (c.discovery.kind === 'aggregate') {
      const flat = this.#flatten(name, depth, new Set());
      return createCluster({ ...this.#common(c), priorities: flat.priorities, dropOverloads: flat.dropOverloads });
    }
    const eps = this.#endpointsOf(c);
    const built = this.#built.get(name);
    if (built !== undefined && built.source === c && built.endpoints === eps) return built.model;
    const model = createCluster({ ...this.#common(c), priorities: eps?.priorities ?? [], dropOverloads: eps?.dropOverloads ?? [] });
    this.#built.set(name, { source: c, endpoints: eps, model });
    return model;
  }

  #common(c: XdsCluster): { name: string; lbPolicy: Cluster['lbPolicy']; outlierDetection?: Cluster['outlierDetection']; circuitBreaker: Cluster['circuitBreaker'] } {
    return {
      name: c.name,
      lbPolicy: c.lbPolicy,
      ...(c.outlierDetection ? { outlierDetection: c.outlierDetection } : {}),
      circuitBreaker: c.circuitBreaker,
    };
  }

  #endpointsOf(c: XdsCluster): XdsEndpoints | undefined {
    switch (c.discovery.kind) {
      case 'eds':
        return this.#endpoints.get(c.discovery.serviceName)?.value;
      case 'logicalDns':
      case 'static':
        return c.discovery.endpoints;
      default:
        return undefined;
    }
  }

  /** A37: an aggregate's priorities are its children's, in order, renumbered from 0. */
  #flatten(name: string, depth: number, visiting: Set<string>): { priorities: PriorityLevel[]; dropOverloads: DropOverload[] } {
    const priorities: PriorityLevel[] = [];
    const dropOverloads: DropOverload[] = [];
    const c = this.#clusters.get(name)?.value;
    if (!c || visiting.has(name) || depth > MAX_AGGREGATE_DEPTH) return { priorities, dropOverloads };
    visiting.add(name);
    const leaves: XdsEndpoints[] = [];
    if (c.discovery.kind === 'aggregate') {
      for (const child of c.discovery.children) {
        const sub = this.#flatten(child, depth + 1, visiting);
        leaves.push({ priorities: sub.priorities, dropOverloads: sub.dropOverloads });
      }
    } else {
      const eps = this.#endpointsOf(c);
      if (eps) leaves.push(eps);
    }
    visiting.delete(name);
    for (const leaf of leaves) {
      for (const level of leaf.priorities) {
        const p = priorities.length;
        priorities.push(
          Object.freeze({
            priority: p,
            localities: Object.freeze(
              level.localities.map((l) =>
                Object.freeze({
                  ...l,
                  endpoints: Object.freeze(l.endpoints.map((e) => (e.priority === p ? e : createEndpoint({ ...e, priority: p })))),
                }),
              ),
            ),
          }),
        );
      }
      dropOverloads.push(...leaf.dropOverloads);
    }
    return { priorities, dropOverloads };
  }
}
