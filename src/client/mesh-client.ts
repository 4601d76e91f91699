import { EventEmitter } from 'eventemitter3';
import type { ClusterBalancer, ClusterPickFailure, ClusterStats } from '../balancing/balancer';
import { createClusterBalancer } from '../balancing/cluster-balancer';
import type { LastGoodStore } from '../cache/last-good-store';
import { ErrorCode, MeshError } from '../errors';
import { routeTableOf, type MeshSnapshot } from '../model/mesh-snapshot';
import type { RequestContext } from '../routing/request-context';
import { randomU64 } from '../routing/fast-random';
import { Router } from '../routing/router';
import { effectiveTimeoutMs } from '../routing/timeout';
import type { Route, RouteTable } from '../model/route-table';
import type { Cluster, LbPolicyName } from '../model/cluster';
import type { HealthStatus, Locality } from '../model/endpoint';
import type { FileSourceConfig } from './mesh-client-options';
import type { NacosSourceOptions } from '../sources/nacos/nacos-source-options';
import type { SnapshotChange, Source } from '../sources/source';
import type { XdsSourceOptions } from '../sources/xds/xds-source';
import { normalizeMeshClientOptions, type MeshClientOptions, type NormalizedMeshClientOptions } from './mesh-client-options';
import { reportProblem, reportUpdate } from './client-diagnostics';
import { createPickSuccess, pickFailure, type PickFailure, type PickResult, type RoutePolicy } from './pick-result';
import { parseTargetName } from './target-name';
import type { TargetState } from './target-state';
import { RecencyCache } from './recency-cache';

/** Payload of the `update` event. */
export interface MeshUpdateEvent {
  /** Scheme of the source that changed (`file`, `xds`, `nacos`, …). */
  readonly source: string;
  /** The source's new snapshot version. */
  readonly version: string;
}

/** Payload of the `rejected` and `error` events. */
export interface MeshSourceErrorEvent {
  readonly source: string;
  readonly error: MeshError;
}

/** Events of {@link MeshClient}. */
export interface MeshClientEvents {
  /** A source's valid update was applied. */
  update: (event: MeshUpdateEvent) => void;
  /** A source rejected an invalid update; the last good state keeps serving. */
  rejected: (event: MeshSourceErrorEvent) => void;
  /** A source or the cache reported a problem; the last good state keeps serving. */
  error: (event: MeshSourceErrorEvent) => void;
}

/** Options of {@link MeshClient.ready}. */
export interface ReadyOptions {
  /** Give up after this long (default: the client's `readyTimeoutMs`). */
  timeoutMs?: number;
}

/** Whether `snapshot` has a listener `previous` lacked (from the change hint when it is relative to `previous`). */
function addsListener(previous: MeshSnapshot | undefined, snapshot: MeshSnapshot, change: SnapshotChange | undefined): boolean {
  if (previous === undefined) return true;
  if (change !== undefined && change.since === previous) {
    return change.listeners.some((key) => snapshot.listeners.has(key) && !previous.listeners.has(key));
  }
  for (const key of snapshot.listeners.keys()) if (!previous.listeners.has(key)) return true;
  return false;
}

// Protocol sources are loaded only when configured: an app on the file source never loads gRPC,
// protobuf or the Nacos code (start-up time and memory are budgeted).
function createXdsSource(options: XdsSourceOptions): Source {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { XdsSource } = require('../sources/xds/xds-source') as typeof import('../sources/xds/xds-source');
  return new XdsSource(options);
}

// The file source (YAML parser, schema validation) and the on-disk cache (node:crypto, fs/promises)
// are likewise loaded only when configured: an xDS-only app's cold start to its first pick is budgeted.
function createFileSource(config: Readonly<Required<FileSourceConfig>>): Source {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FileSource } = require('../sources/file/file-source') as typeof import('../sources/file/file-source');
  return new FileSource(config);
}

function createLastGoodStore(dir: string): LastGoodStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LastGoodStore: Store } = require('../cache/last-good-store') as typeof import('../cache/last-good-store');
  return new Store(dir);
}

function createNacosSource(options: NacosSourceOptions): Source {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NacosSource } = require('../sources/nacos/nacos-source') as typeof import('../sources/nacos/nacos-source');
  return new NacosSource(options);
}

const EMPTY_BALANCERS: ReadonlyMap<string, ClusterBalancer> = new Map();

/** Names known not to exist are this many times `maxUnresolvedTargets` (a name costs far less than a watch). */
const ABSENT_PER_UNRESOLVED = 10;

/** One endpoint as {@link MeshClient.clusters} shows it. */
export interface EndpointView {
  readonly address: string;
  readonly health: HealthStatus;
  readonly weight: number;
  readonly priority: number;
  readonly locality: Locality;
  readonly labels: Readonly<Record<string, string>>;
  /** Ejected by outlier detection right now. */
  readonly ejected: boolean;
}

/** One cluster as {@link MeshClient.clusters} shows it: counters, policy and endpoints. */
export interface ClusterView extends ClusterStats {
  /** Scheme of the source that defines it. */
  readonly source: string;
  readonly lbPolicy: LbPolicyName;
  readonly endpoints: readonly EndpointView[];
}

/** Per source: its balancers and what the client last applied. */
interface SourceBinding {
  readonly source: Source;
  readonly balancers: Map<string, ClusterBalancer>;
  applied: MeshSnapshot | undefined;
  /** The snapshot loaded from the cache, never written back. */
  restored: MeshSnapshot | undefined;
}

/**
 * One process's view of the mesh: sources feed snapshots; `pick()` routes a request to an endpoint
 * synchronously. Create one per process and share it.
 */
export class MeshClient extends EventEmitter<MeshClientEvents> {
  readonly #options: NormalizedMeshClientOptions;
  readonly #bindings: SourceBinding[] = [];
  readonly #bySource = new Map<Source, SourceBinding>();
  /** Every target being watched: resolved ones, and at most `maxUnresolvedTargets` others (plus pinned ones). */
  readonly #targets = new Map<string, TargetState>();
  /** The unresolved, unpinned targets, least recently picked first; the oldest is forgotten when full. */
  readonly #unresolved: RecencyCache<string, TargetState>;
  /** Forgotten targets a source said do not exist: their pick failure, without a watch (negative cache). */
  readonly #absent: RecencyCache<string, PickFailure>;
  /** Per source: how many targets watch each listener key (two target strings can share one). */
  readonly #watchers = new Map<Source, Map<string, number>>();
  #forgotten = 0;
  /** Route tables a source delivered that no router can be built from (reported once each). */
  readonly #unusableTables = new WeakSet<RouteTable>();
  readonly #failures = new WeakMap<ClusterPickFailure, PickFailure>();
  readonly #policies = new WeakMap<object, RoutePolicy>();
  readonly #store: LastGoodStore | undefined;
  readonly #started: Promise<void>;
  readonly #waiters = new Set<() => void>();
  #fetch: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & { close(): Promise<void> } | undefined;
  /** Hashed by `channelId` hash policies: per-client affinity that survives route updates. */
  readonly #channelId = randomU64();
  #closed = false;

  /**
   * @throws MeshError `MESH_ERR_INVALID_CONFIG` when an option is invalid (the message names it).
   */
  constructor(options: MeshClientOptions) {
    super();
    this.#options = normalizeMeshClientOptions(options);
    const max = this.#options.maxUnresolvedTargets;
    this.#unresolved = new RecencyCache(max, (_target, state) => this.#forget(state));
    this.#absent = new RecencyCache(max * ABSENT_PER_UNRESOLVED);
    const sources: Source[] = [];
    if (this.#options.file) sources.push(createFileSource(this.#options.file));
    if (this.#options.xds) sources.push(createXdsSource(this.#options.xds));
    if (this.#options.nacos) sources.push(createNacosSource(this.#options.nacos));
    sources.push(...this.#options.sources);
    if (sources.length === 0) {
      throw new MeshError(ErrorCode.INVALID_CONFIG, 'options: configure at least one source (file, xds, nacos or sources)');
    }
    this.#store = this.#options.cacheDir === undefined ? undefined : createLastGoodStore(this.#options.cacheDir);
    for (const source of sources) this.#bind(source);
    this.#started = this.#start();
  }

  #bind(source: Source): void {
    const binding: SourceBinding = { source, balancers: new Map(), applied: undefined, restored: undefined };
    this.#bindings.push(binding);
    this.#bySource.set(source, binding);
    source.on('changed', (snapshot, change) => this.#onChanged(binding, snapshot, change));
    source.on('rejected', (error) => this.#problem('rejected', { source: source.scheme, error }));
    source.on('error', (error) => this.#problem('error', { source: source.scheme, error }));
  }

  #problem(kind: 'rejected' | 'error', event: MeshSourceErrorEvent): void {
    reportProblem(kind, event);
    this.emit(kind, event);
  }

  async #start(): Promise<void> {
    if (this.#store !== undefined) {
      for (const binding of this.#bindings) {
        const loaded = await this.#store.load(binding.source.scheme);
        if (loaded.error !== undefined) this.#problem('error', { source: binding.source.scheme, error: loaded.error });
        if (loaded.snapshot !== undefined && !binding.source.synced) {
          binding.source.restore(loaded.snapshot);
          binding.restored = binding.source.snapshot;
          if (binding.applied === undefined) this.#onChanged(binding, binding.source.snapshot);
        }
      }
    }
    await Promise.all(
      this.#bindings.map((b) =>
        b.source.start().catch((cause: unknown) => {
          const error = cause instanceof MeshError ? cause : new MeshError(ErrorCode.SOURCE_FAILURE, String(cause), { cause });
          this.#problem('error', { source: b.source.scheme, error });
        }),
      ),
    );
    for (const b of this.#bindings) {
      if (b.source.synced && b.applied !== b.source.snapshot) this.#onChanged(b, b.source.snapshot);
    }
  }

  /**
   * Applies a source's snapshot: balancers first, then every target bound to it. With a change hint
   * relative to the snapshot applied last, only the clusters it names are looked at (one cluster
   * among 10,000 must apply in < 1 ms); otherwise every cluster is.
   */
  #onChanged(binding: SourceBinding, snapshot: MeshSnapshot, change?: SnapshotChange): void {
    if (this.#closed) return;
    const previous = binding.applied;
    binding.applied = snapshot;
    const hinted = change !== undefined && previous !== undefined && change.since === previous;
    if (hinted) {
      for (const name of change.clusters) this.#applyCluster(binding, name, snapshot.clusters.get(name), previous.clusters.get(name));
    } else {
      for (const [name, cluster] of snapshot.clusters) this.#applyCluster(binding, name, cluster, previous?.clusters.get(name));
      for (const [name, balancer] of binding.balancers) {
        if (!snapshot.clusters.has(name)) {
          balancer.close();
          binding.balancers.delete(name);
        }
      }
    }
    // A name known not to exist may be what a new listener serves: ask the sources again.
    if (this.#absent.size > 0 && addsListener(previous, snapshot, change)) this.#absent.clear();
    // Listeners and route tables unchanged: no target's resolution can change (its balancers are
    // the binding's map, updated in place). Spares the incremental path a walk of every target.
    if (!hinted || change.listeners.length > 0 || change.routeTables.length > 0) {
      for (const state of this.#targets.values()) {
        if (state.candidates.some((c) => c.source === binding.source)) this.#resolve(state);
      }
    }
    if (this.#store !== undefined && snapshot !== binding.restored) {
      const scheme = binding.source.scheme;
      void this.#store.save(scheme, snapshot).then((error) => {
        if (error !== undefined && !this.#closed) this.#problem('error', { source: scheme, error });
      });
    }
    const update = { source: binding.source.scheme, version: snapshot.version };
    reportUpdate(update);
    this.emit('update', update);
    this.#notifyWaiters();
  }

  /** Creates, updates or (when `cluster` is undefined) closes the balancer of one cluster. */
  #applyCluster(binding: SourceBinding, name: string, cluster: Cluster | undefined, previous: Cluster | undefined): void {
    const existing = binding.balancers.get(name);
    if (cluster === undefined) {
      if (existing === undefined) return;
      existing.close();
      binding.balancers.delete(name);
    } else if (existing === undefined) binding.balancers.set(name, createClusterBalancer(cluster));
    // Clusters are immutable: the same object needs no update (sources keep unchanged clusters).
    else if (previous !== cluster) existing.update(cluster);
  }

  #notifyWaiters(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Binds a target to the first candidate source that has its listener, and (re)builds its router. */
  #resolve(state: TargetState): void {
    for (const { source, listenerKey } of state.candidates) {
      const listener = source.snapshot.listeners.get(listenerKey);
      if (listener === undefined) continue;
      const table = routeTableOf(source.snapshot, listener);
      if (table === undefined) continue;
      if (state.routeTable !== table) {
        let router: Router;
        try {
          router = new Router(table, { mode: this.#options.routingMode, channelId: this.#channelId });
        } catch (cause) {
          // A source let through a table the router cannot use: reported once; the target keeps
          // what it had (or tries its next source) rather than the error escaping the update.
          if (!this.#unusableTables.has(table)) {
            this.#unusableTables.add(table);
            const error = cause instanceof MeshError ? cause : new MeshError(ErrorCode.INVALID_CONFIG, String(cause), { cause });
            this.#problem('rejected', { source: source.scheme, error });
          }
          if (state.router !== undefined) return;
          continue;
        }
        state.routeTable = table;
        state.router = router;
      }
      state.source = source;
      state.listener = listener;
      state.balancers = this.#bySource.get(source)?.balancers ?? EMPTY_BALANCERS;
      this.#track(state);
      return;
    }
    state.source = undefined;
    state.listener = undefined;
    state.routeTable = undefined;
    state.router = undefined;
    state.balancers = EMPTY_BALANCERS;
    const doesNotExist = state.candidates.length > 0 && state.candidates.every((c) => c.source.targetStatus(c.listenerKey) === 'doesNotExist');
    const code = doesNotExist ? ErrorCode.DOES_NOT_EXIST : ErrorCode.UNKNOWN_TARGET;
    // Unchanged: keep the failure object (every update re-resolves up to maxUnresolvedTargets of these).
    if (state.unavailable.error.code !== code) {
      state.unavailable = doesNotExist
        ? pickFailure(ErrorCode.DOES_NOT_EXIST, `${state.target}: the control plane says it does not exist`)
        : pickFailure(ErrorCode.UNKNOWN_TARGET, `${state.target}: not known (yet) to any source`);
    }
    this.#track(state);
  }

  /** Keeps the unresolved-target bound: an unresolved, unpinned target is counted, any other is not. */
  #track(state: TargetState): void {
    if (this.#closed || this.#targets.get(state.target) !== state) return;
    if (state.router !== undefined || state.pins > 0) this.#unresolved.delete(state.target);
    else if (!this.#unresolved.has(state.target)) this.#unresolved.set(state.target, state);
  }

  /** Drops a target pushed out of the unresolved bound: its watches go, a known absence is remembered. */
  #forget(state: TargetState): void {
    if (this.#targets.get(state.target) !== state) return;
    this.#targets.delete(state.target);
    this.#forgotten++;
    for (const { source, listenerKey } of state.candidates) this.#unwatch(source, listenerKey, state.name);
    if (state.unavailable.error.code === ErrorCode.DOES_NOT_EXIST) this.#absent.set(state.target, state.unavailable);
  }

  /** Watches a name in a source, counting the targets that share its listener key. */
  #watch(source: Source, name: string): string | undefined {
    const listenerKey = source.watch(name);
    if (listenerKey === undefined) return undefined;
    let counts = this.#watchers.get(source);
    if (counts === undefined) this.#watchers.set(source, (counts = new Map()));
    counts.set(listenerKey, (counts.get(listenerKey) ?? 0) + 1);
    return listenerKey;
  }

  /** Releases one target's interest in a listener key; the last one unwatches it in the source. */
  #unwatch(source: Source, listenerKey: string, name: string): void {
    const counts = this.#watchers.get(source);
    const count = counts?.get(listenerKey) ?? 0;
    if (count > 1) {
      counts!.set(listenerKey, count - 1);
      return;
    }
    counts?.delete(listenerKey);
    source.unwatch(name);
  }

  #target(target: string): TargetState {
    const parsed = parseTargetName(target);
    const candidates: Array<{ source: Source; listenerKey: string }> = [];
    for (const { source } of this.#bindings) {
      if (parsed.scheme !== undefined && parsed.scheme !== source.scheme) continue;
      const listenerKey = this.#closed ? undefined : this.#watch(source, parsed.name);
      if (listenerKey !== undefined) candidates.push({ source, listenerKey });
    }
    this.#absent.delete(target);
    const state: TargetState = {
      target,
      name: parsed.name,
      candidates,
      source: undefined,
      listener: undefined,
      routeTable: undefined,
      router: undefined,
      balancers: EMPTY_BALANCERS,
      unavailable:
        candidates.length === 0
          ? pickFailure(ErrorCode.UNKNOWN_TARGET, `${target}: no source can serve it`)
          : pickFailure(ErrorCode.UNKNOWN_TARGET, `${target}: not known (yet) to any source`),
      noRoute: pickFailure(ErrorCode.NO_ROUTE, `${target}: no route matches the request`),
      nonForwarding: pickFailure(ErrorCode.NON_FORWARDING_ROUTE, `${target}: the matched route does not forward`),
      pins: 0,
    };
    this.#targets.set(target, state);
    this.#resolve(state);
    return state;
  }

  /**
   * Chooses an endpoint for one request. Synchronous, never throws. The first pick of a target
   * subscribes to it; until a source knows it the result is `MESH_ERR_UNKNOWN_TARGET` (use
   * {@link ready} with the target to wait), and once a source says it does not exist,
   * `MESH_ERR_DOES_NOT_EXIST`. At most `maxUnresolvedTargets` targets that do not resolve stay
   * subscribed, least recently picked first out (see docs/targets.md).
   * @param target `xds:///name`, `nacos://[ns/][group/]service`, `file:///name` or a bare name.
   */
  pick(target: string, ctx: RequestContext = {}): PickResult {
    let state = this.#targets.get(target);
    if (state === undefined) {
      const absent = this.#absent.get(target);
      if (absent !== undefined) return absent;
      state = this.#target(target);
    }
    const router = state.router;
    if (router === undefined) {
      this.#unresolved.touch(target);
      return state.unavailable;
    }
    const route = router.match(ctx.authority ?? state.name, ctx);
    if (route === undefined) return state.noRoute;
    const clusterName = route.pickCluster(ctx);
    if (clusterName === undefined) return route.route.action.kind === 'nonForwarding' ? state.nonForwarding : state.noRoute;
    const balancer = state.balancers.get(clusterName);
    if (balancer === undefined) return this.#unknownCluster(clusterName);
    const picked = balancer.pick(balancer.usesRequestHash ? route.requestHash(ctx) : undefined, ctx.headers);
    if (!picked.ok) return this.#failure(picked);
    let policy = this.#policies.get(route);
    if (policy === undefined) {
      policy = Object.freeze({
        route: route.route,
        timeoutMs: this.#routeTimeoutMs(route.route, state),
        retryPolicy: route.retryPolicy,
      });
      this.#policies.set(route, policy);
    }
    return createPickSuccess(balancer, picked, policy, undefined);
  }

  /** HTTP: the route's timeout. gRPC: its stream-duration cap, else the listener's default (A31). */
  #routeTimeoutMs(route: Route, state: TargetState): number | undefined {
    const mode = this.#options.routingMode;
    const own = effectiveTimeoutMs(route, mode);
    if (own !== undefined || mode !== 'grpc' || route.maxStreamDurationMs !== undefined) return own;
    const fallback = state.listener?.maxStreamDurationMs;
    return fallback !== undefined && fallback > 0 ? fallback : undefined;
  }

  #failure(f: ClusterPickFailure): PickFailure {
    let out = this.#failures.get(f);
    if (out === undefined) {
      out = pickFailure(f.code, f.message);
      this.#failures.set(f, out);
    }
    return out;
  }

  #unknownCluster(name: string): PickFailure {
    return pickFailure(ErrorCode.NO_ENDPOINT, `cluster ${name}: not known to the source`);
  }

  /**
   * Resolves when every source has synced (or loaded its cache) and every given target can be
   * picked. Rejects with `MESH_ERR_TIMEOUT` (or `MESH_ERR_DOES_NOT_EXIST`) otherwise. The given
   * targets are subscribed and are not forgotten while this waits.
   */
  async ready(targets: readonly string[] = [], options: ReadyOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#options.readyTimeoutMs;
    // Awaited targets stay watched whatever else is picked meanwhile (pinned as each is created:
    // creating the next may push an unpinned one out of the bound).
    const states = targets.map((t) => {
      const s = this.#targets.get(t) ?? this.#target(t);
      s.pins++;
      this.#track(s);
      return s;
    });
    try {
      await this.#whenReady(states, timeoutMs);
    } finally {
      for (const s of states) {
        s.pins--;
        this.#track(s);
      }
    }
  }

  async #whenReady(states: readonly TargetState[], timeoutMs: number): Promise<void> {
    const isReady = (): boolean => this.#bindings.every((b) => b.source.synced) && states.every((s) => s.router !== undefined);
    await this.#started;
    if (isReady()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.#closed) finish(new MeshError(ErrorCode.CLOSED, 'ready(): the client was closed'));
        else if (isReady()) finish(undefined);
        else {
          const missing = states.find((s) => s.router === undefined && s.unavailable.error.code === ErrorCode.DOES_NOT_EXIST);
          if (missing !== undefined) finish(new MeshError(ErrorCode.DOES_NOT_EXIST, missing.unavailable.error.message));
        }
      };
      const timer = setTimeout(() => {
        const notSynced = this.#bindings.filter((b) => !b.source.synced).map((b) => b.source.scheme);
        const notKnown = states.filter((s) => s.router === undefined).map((s) => s.target);
        finish(
          new MeshError(
            ErrorCode.TIMEOUT,
            `ready(): not ready after ${timeoutMs} ms` +
              (notSynced.length ? `; sources not synced: ${notSynced.join(', ')}` : '') +
              (notKnown.length ? `; targets not known: ${notKnown.join(', ')}` : ''),
          ),
        );
      }, timeoutMs);
      const finish = (error: MeshError | undefined): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Every cluster with its counters and endpoints (health, weight, locality, labels, ejection). */
  clusters(): ClusterView[] {
    return this.#bindings.flatMap((b) =>
      [...b.balancers.values()].map((balancer): ClusterView => {
        const stats = balancer.stats();
        const cluster = b.source.snapshot.clusters.get(balancer.name);
        const ejected = new Set(stats.ejected);
        return {
          ...stats,
          source: b.source.scheme,
          lbPolicy: cluster?.lbPolicy.name ?? 'round_robin',
          endpoints: (cluster?.priorities ?? []).flatMap((level) =>
            level.localities.flatMap((l) =>
              l.endpoints.map((e) => ({
                address: e.address,
                health: e.health,
                weight: e.weight,
                priority: level.priority,
                locality: e.locality,
                labels: e.labels,
                ejected: ejected.has(e.address),
              })),
            ),
          ),
        };
      }),
    );
  }

  /**
   * `fetch` routed through the mesh: Node's built-in fetch with the `sidecarless/undici`
   * dispatcher (pick per request, route timeout and retries, outcome reported). Hosts the mesh does
   * not know pass through. Needs the optional peer dependency `undici` (7.x); throws
   * `MESH_ERR_INVALID_CONFIG` without it. See `createMeshFetch` for options.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    if (this.#closed) return Promise.reject(new MeshError(ErrorCode.CLOSED, 'fetch(): the client was closed'));
    if (this.#fetch === undefined) {
      let integration: typeof import('../integrations/undici/mesh-fetch');
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        integration = require('../integrations/undici/mesh-fetch') as typeof import('../integrations/undici/mesh-fetch');
      } catch (cause) {
        throw new MeshError(ErrorCode.INVALID_CONFIG, 'fetch(): install the optional peer dependency "undici" (7.x) to use mesh.fetch', { cause });
      }
      this.#fetch = integration.createMeshFetch(this);
    }
    return this.#fetch(input, init);
  }

  /** Whether every source has synced (or loaded its cache): what a readiness probe reports. */
  isReady(): boolean {
    return !this.#closed && this.#bindings.every((b) => b.source.synced);
  }

  /** Counters per cluster and source, for metrics. */
  stats(): Array<ClusterStats & { readonly source: string }> {
    const out: Array<ClusterStats & { source: string }> = [];
    for (const b of this.#bindings) for (const bal of b.balancers.values()) out.push({ ...bal.stats(), source: b.source.scheme });
    return out;
  }

  /**
   * The current state as JSON (CSDS-like): sources, the targets watched now, the target bound's
   * counters (`targetBound`: watched, unresolved, forgotten, known-absent names) and clusters.
   * Secrets are redacted by sources.
   */
  dump(): Record<string, unknown> {
    return {
      sources: this.#bindings.map((b) => ({
        scheme: b.source.scheme,
        synced: b.source.synced,
        version: b.source.snapshot.version,
        state: b.source.dump(),
      })),
      targets: [...this.#targets.values()].map((s) => ({
        target: s.target,
        source: s.source?.scheme ?? null,
        listener: s.listener?.name ?? null,
        routeTable: s.routeTable?.name ?? null,
        status: s.router === undefined ? s.unavailable.error.code : 'ok',
      })),
      targetBound: {
        watched: this.#targets.size,
        unresolved: this.#unresolved.size,
        maxUnresolved: this.#unresolved.max,
        forgotten: this.#forgotten,
        knownAbsent: this.#absent.size,
        maxKnownAbsent: this.#absent.max,
      },
      clusters: this.clusters(),
    };
  }

  /** Stops every source and timer, flushes the cache. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#notifyWaiters();
    await this.#started.catch(() => undefined);
    await Promise.all(this.#bindings.map((b) => b.source.close()));
    await this.#fetch?.close();
    for (const b of this.#bindings) for (const bal of b.balancers.values()) bal.close();
    await this.#store?.close();
    this.removeAllListeners();
  }
}
