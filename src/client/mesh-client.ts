import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type { ClusterBalancer, ClusterPickFailure, ClusterStats } from '../balancing/balancer';
import { createClusterBalancer } from '../balancing/cluster-balancer';
import { LastGoodStore } from '../cache/last-good-store';
import { ErrorCode, MeshError } from '../errors';
import { routeTableOf, type MeshSnapshot } from '../model/mesh-snapshot';
import type { RequestContext } from '../routing/request-context';
import { Router } from '../routing/router';
import { effectiveTimeoutMs } from '../routing/timeout';
import type { Route } from '../model/route-table';
import type { LbPolicyName } from '../model/cluster';
import type { HealthStatus, Locality } from '../model/endpoint';
import { FileSource } from '../sources/file/file-source';
import type { NacosSourceOptions } from '../sources/nacos/nacos-source-options';
import type { Source } from '../sources/source';
import type { XdsSourceOptions } from '../sources/xds/xds-source';
import { normalizeMeshClientOptions, type MeshClientOptions, type NormalizedMeshClientOptions } from './mesh-client-options';
import { reportProblem, reportUpdate } from './client-diagnostics';
import { createPickSuccess, pickFailure, type PickFailure, type PickResult, type RoutePolicy } from './pick-result';
import { parseTargetName } from './target-name';
import type { TargetState } from './target-state';

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

// Protocol sources are loaded only when configured: an app on the file source never loads gRPC,
// protobuf or the Nacos code (start-up time and memory are budgeted).
function createXdsSource(options: XdsSourceOptions): Source {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { XdsSource } = require('../sources/xds/xds-source') as typeof import('../sources/xds/xds-source');
  return new XdsSource(options);
}

function createNacosSource(options: NacosSourceOptions): Source {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NacosSource } = require('../sources/nacos/nacos-source') as typeof import('../sources/nacos/nacos-source');
  return new NacosSource(options);
}

const EMPTY_BALANCERS: ReadonlyMap<string, ClusterBalancer> = new Map();

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
  readonly #targets = new Map<string, TargetState>();
  readonly #failures = new WeakMap<ClusterPickFailure, PickFailure>();
  readonly #policies = new WeakMap<object, RoutePolicy>();
  readonly #store: LastGoodStore | undefined;
  readonly #started: Promise<void>;
  readonly #waiters = new Set<() => void>();
  #fetch: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & { close(): Promise<void> } | undefined;
  /** Hashed by `channelId` hash policies: per-client affinity that survives route updates. */
  readonly #channelId = randomBytes(8).readBigUInt64BE();
  #closed = false;

  /**
   * @throws MeshError `MESH_ERR_INVALID_CONFIG` when an option is invalid (the message names it).
   */
  constructor(options: MeshClientOptions) {
    super();
    this.#options = normalizeMeshClientOptions(options);
    const sources: Source[] = [];
    if (this.#options.file) sources.push(new FileSource(this.#options.file));
    if (this.#options.xds) sources.push(createXdsSource(this.#options.xds));
    if (this.#options.nacos) sources.push(createNacosSource(this.#options.nacos));
    sources.push(...this.#options.sources);
    if (sources.length === 0) {
      throw new MeshError(ErrorCode.INVALID_CONFIG, 'options: configure at least one source (file, xds, nacos or sources)');
    }
    this.#store = this.#options.cacheDir === undefined ? undefined : new LastGoodStore(this.#options.cacheDir);
    for (const source of sources) this.#bind(source);
    this.#started = this.#start();
  }

  #bind(source: Source): void {
    const binding: SourceBinding = { source, balancers: new Map(), applied: undefined, restored: undefined };
    this.#bindings.push(binding);
    this.#bySource.set(source, binding);
    source.on('changed', (snapshot) => this.#onChanged(binding, snapshot));
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

  /** Applies a source's snapshot: balancers first, then every target bound to it. */
  #onChanged(binding: SourceBinding, snapshot: MeshSnapshot): void {
    if (this.#closed) return;
    const previous = binding.applied;
    binding.applied = snapshot;
    for (const [name, cluster] of snapshot.clusters) {
      const existing = binding.balancers.get(name);
      if (existing === undefined) binding.balancers.set(name, createClusterBalancer(cluster));
      // Clusters are immutable: the same object needs no update (sources keep unchanged clusters).
      else if (previous?.clusters.get(name) !== cluster) existing.update(cluster);
    }
    for (const [name, balancer] of binding.balancers) {
      if (!snapshot.clusters.has(name)) {
        balancer.close();
        binding.balancers.delete(name);
      }
    }
    for (const state of this.#targets.values()) {
      if (state.candidates.some((c) => c.source === binding.source)) this.#resolve(state);
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
      state.source = source;
      state.listener = listener;
      state.balancers = this.#bySource.get(source)?.balancers ?? EMPTY_BALANCERS;
      if (state.routeTable !== table) {
        state.routeTable = table;
        state.router = new Router(table, { mode: this.#options.routingMode, channelId: this.#channelId });
      }
      return;
    }
    state.source = undefined;
    state.listener = undefined;
    state.routeTable = undefined;
    state.router = undefined;
    state.balancers = EMPTY_BALANCERS;
    const doesNotExist = state.candidates.length > 0 && state.candidates.every((c) => c.source.targetStatus(c.listenerKey) === 'doesNotExist');
    state.unavailable = doesNotExist
      ? pickFailure(ErrorCode.DOES_NOT_EXIST, `${state.target}: the control plane says it does not exist`)
      : pickFailure(ErrorCode.UNKNOWN_TARGET, `${state.target}: not known (yet) to any source`);
  }

  #target(target: string): TargetState {
    const parsed = parseTargetName(target);
    const candidates: Array<{ source: Source; listenerKey: string }> = [];
    for (const { source } of this.#bindings) {
      if (parsed.scheme !== undefined && parsed.scheme !== source.scheme) continue;
      const listenerKey = source.watch(parsed.name);
      if (listenerKey !== undefined) candidates.push({ source, listenerKey });
    }
    const state: TargetState = {
      target,
      name: parsed.name,
      candidates,
      source: undefined,
      listener: undefined,
      routeTable: undefined,
      router: undefined,
      balancers: EMPTY_BALANCERS,
      unavailable: pickFailure(ErrorCode.UNKNOWN_TARGET, `${target}: no source can serve it`),
      noRoute: pickFailure(ErrorCode.NO_ROUTE, `${target}: no route matches the request`),
      nonForwarding: pickFailure(ErrorCode.NON_FORWARDING_ROUTE, `${target}: the matched route does not forward`),
    };
    this.#targets.set(target, state);
    this.#resolve(state);
    return state;
  }

  /**
   * Chooses an endpoint for one request. Synchronous, never throws. The first pick of a target
   * subscribes to it; until a source knows it the result is `MESH_ERR_UNKNOWN_TARGET` (use
   * {@link ready} with the target to wait).
   * @param target `xds:///name`, `nacos://[ns/][group/]service`, `file:///name` or a bare name.
   */
  pick(target: string, ctx: RequestContext = {}): PickResult {
    const state = this.#targets.get(target) ?? this.#target(target);
    const router = state.router;
    if (router === undefined) return state.unavailable;
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
   * picked. Rejects with `MESH_ERR_TIMEOUT` (or `MESH_ERR_DOES_NOT_EXIST`) otherwise.
   */
  async ready(targets: readonly string[] = [], options: ReadyOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#options.readyTimeoutMs;
    const states = targets.map((t) => this.#targets.get(t) ?? this.#target(t));
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

  /** The current state as JSON (CSDS-like): sources, targets and clusters. Secrets are redacted by sources. */
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
