import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { ErrorCode, InvalidConfigError, MeshError } from '../../errors';
import { EMPTY_SNAPSHOT, type MeshSnapshot } from '../../model/mesh-snapshot';
import type { SnapshotChange, Source, SourceEvents, TargetStatus } from '../source';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { loadBootstrap, type XdsBootstrap } from './bootstrap';
import { systemClock as SYSTEM_CLOCK, type Clock } from '../../clock';
import { DependencyManager } from './dependency-manager';
import { protosDir } from './protos';
import { TypeUrl } from './type-urls';
import { XdsClient, type ResourceDump } from './xds-client';

/** Options of {@link XdsSource}. */
export interface XdsSourceOptions {
  /**
   * The gRPC xDS bootstrap: an object, JSON text, or a file path. Default: the file named by
   * `GRPC_XDS_BOOTSTRAP`, else the JSON in `GRPC_XDS_BOOTSTRAP_CONFIG`. An Istio proxyless
   * bootstrap works unchanged.
   */
  bootstrap?: string | object;
  /** Use incremental (delta) ADS instead of state of the world. Default false. */
  delta?: boolean;
  /** How long a subscribed resource may stay unanswered before it is considered missing. Default 15,000 ms. */
  resourceTimeoutMs?: number;
  /** Time source for every timer (tests inject fake timers). Default: the process clock. */
  clock?: Clock;
  /** Reconnect backoff. Default 1 s ×1.6 ±20 %, max 120 s. */
  backoff?: Partial<BackoffOptions>;
  /** Random source in [0, 1) for backoff jitter. Default Math.random. */
  random?: () => number;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(protosDir(), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function positive(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new InvalidConfigError(field, `must be a positive number, got ${value}`);
  return value;
}

/** The listener key of a target: `xds:///name`, `xds:name` or a bare name → `name`. */
export function xdsTargetKey(target: string): string {
  if (target.startsWith('xds:///')) return target.slice('xds:///'.length);
  if (target.startsWith('xds://')) return target.slice(target.indexOf('/', 'xds://'.length) + 1);
  if (target.startsWith('xds:')) return target.slice('xds:'.length);
  return target;
}

/**
 * A {@link Source} fed by an xDS control plane (istiod or any ADS server) over SotW or delta ADS.
 * `watch('reviews.default.svc.cluster.local:9080')` subscribes to that Listener and, through it,
 * to its routes, clusters and endpoints; every consistent state is emitted as `changed`.
 */
export class XdsSource extends EventEmitter<SourceEvents> implements Source {
  readonly scheme = 'xds';
  readonly #bootstrap: XdsBootstrap;
  readonly #client: XdsClient;
  readonly #deps: DependencyManager;
  readonly #targets = new Map<string, string>();
  #snapshot: MeshSnapshot = EMPTY_SNAPSHOT;
  #synced = false;
  #closed = false;

  /** Validates options and the bootstrap at once; throws InvalidConfigError. */
  constructor(options: XdsSourceOptions = {}) {
    super();
    this.#bootstrap = loadBootstrap(options.bootstrap);
    const backoff = { ...DEFAULT_BACKOFF, ...(options.backoff ?? {}) };
    this.#client = new XdsClient({
      bootstrap: this.#bootstrap,
      delta: options.delta === true,
      resourceTimeoutMs: positive(options.resourceTimeoutMs, 'xds.resourceTimeoutMs', 15_000),
      clock: options.clock ?? SYSTEM_CLOCK,
      backoff,
      random: options.random ?? Math.random,
      userAgentName: 'sidecarless',
      userAgentVersion: packageVersion(),
    });
    this.#deps = new DependencyManager(this.#client, (snapshot, change) => this.#publish(snapshot, change));
    this.#client.on('nack', (error) => {
      if (!this.#closed) this.emit('rejected', error);
    });
    this.#client.on('error', (error) => {
      if (!this.#closed) this.emit('error', error);
    });
  }

  /** The validated bootstrap in use. */
  get bootstrap(): XdsBootstrap {
    return this.#bootstrap;
  }

  /**
   * The underlying ADS client (for diagnostics and tests).
   * @internal
   */
  get client(): XdsClient {
    return this.#client;
  }

  get snapshot(): MeshSnapshot {
    return this.#snapshot;
  }

  get synced(): boolean {
    return this.#synced;
  }

  async start(): Promise<void> {
    if (this.#closed) throw new MeshError(ErrorCode.CLOSED, 'xDS source is closed');
    this.#client.start();
  }

  watch(target: string): string | undefined {
    if (this.#closed) return undefined;
    const key = xdsTargetKey(target);
    if (!key) return undefined;
    const template = this.#bootstrap.clientDefaultListenerResourceNameTemplate;
    const resourceName = template.startsWith('xdstp:')
      ? template.replace('%s', encodeURIComponent(key).replace(/%2F/gi, '/'))
      : template.replace('%s', key);
    this.#targets.set(key, resourceName);
    this.#deps.addTarget(key, resourceName);
    return key;
  }

  unwatch(target: string): void {
    const key = xdsTargetKey(target);
    if (this.#targets.delete(key)) this.#deps.removeTarget(key);
  }

  targetStatus(listenerKey: string): TargetStatus {
    const name = this.#targets.get(listenerKey);
    if (name === undefined) return this.#snapshot.listeners.has(listenerKey) ? 'exists' : 'doesNotExist';
    const status = this.#client.status(TypeUrl.LISTENER, name);
    if (status === 'doesNotExist') return 'doesNotExist';
    if (status === 'acked' || this.#snapshot.listeners.has(listenerKey)) return 'exists';
    return 'requested';
  }

  restore(snapshot: MeshSnapshot): void {
    if (this.#synced || this.#closed) return;
    this.#snapshot = snapshot;
    this.#synced = true;
  }

  /** CSDS-like state: node, servers, and every resource with version, status and last update. */
  dump(): Record<string, unknown> {
    const resources: ResourceDump[] = this.#client.dump();
    return {
      scheme: this.scheme,
      node: { id: this.#bootstrap.node.id, cluster: this.#bootstrap.node.cluster },
      servers: this.#bootstrap.xdsServers.map((s) => s.serverUri),
      activeServer: this.#client.activeServer ?? null,
      snapshotVersion: this.#snapshot.version,
      targets: Object.fromEntries(this.#targets),
      resources,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deps.close();
    this.#client.close();
  }

  #publish(snapshot: MeshSnapshot, change: SnapshotChange | undefined): void {
    if (this.#closed) return;
    this.#snapshot = snapshot;
    this.#synced = true;
    queueMicrotask(() => {
      // A hint relative to a snapshot that was superseded before being emitted is useless to
      // listeners (they never saw `since`): they fall back to a full apply.
      if (!this.#closed && this.#snapshot === snapshot) this.emit('changed', snapshot, change);
    });
  }
}
