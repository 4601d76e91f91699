import { EventEmitter } from 'eventemitter3';
import { ErrorCode, InvalidConfigError, MeshError } from '../../errors';
import type { Cluster } from '../../model/cluster';
import { formatAddress, type Endpoint } from '../../model/endpoint';
import { freezeSnapshot } from '../../model/freeze-snapshot';
import type { Listener } from '../../model/listener';
import { EMPTY_SNAPSHOT, type MeshSnapshot } from '../../model/mesh-snapshot';
import { parseConfigText } from '../file/config-text';
import type { ServiceRules } from '../file/service-rules';
import type { Source, SourceEvents, TargetStatus } from '../source';
import { NacosConfigClient } from './config-client';
import { InstanceEndpointPool } from './endpoint-pool';
import { isUsable } from './instance-endpoints';
import { NacosAuth } from './nacos-auth';
import { groupedServiceName, type NacosInstance, type NacosServiceInfo } from './nacos-messages';
import { NacosRpcClient } from './nacos-rpc-client';
import { configTenant } from './namespace-defaults';
import { resolveNacosSourceOptions, type NacosSourceOptions, type ResolvedNacosSourceOptions } from './nacos-source-options';
import { parseNacosTarget, type NacosTarget } from './nacos-target';
import { NacosNamingClient } from './naming-client';
import { nacosServiceModel } from './service-model';

/** The version string of the Node client, sent as `clientVersion`. */
export const NACOS_CLIENT_VERSION = 'Nacos-Node-Client:sidecarless-0.1.0';

/** Where a watched service's traffic rule lives in Nacos config: data id `<service>.mesh.yaml`. */
export function ruleDataId(service: string): string {
  return `${service}.mesh.yaml`;
}

interface TargetState {
  readonly target: NacosTarget;
  /** Turns instance lists into endpoints, reusing those of unchanged instances. */
  readonly pool: InstanceEndpointPool;
  /** The endpoints of the last accepted instance list; undefined before the first one. */
  endpoints: readonly Endpoint[] | undefined;
  /** Instances in the last accepted list (disabled ones included). */
  instances: number;
  /** Whether the last accepted list had an instance that can take traffic now. */
  usable: boolean;
  /** The listener and clusters built from `endpoints` and `rule`; undefined when they changed since. */
  model: ServiceRules | undefined;
  /** The accepted rule document (parsed), or undefined for none. */
  rule: unknown;
  ruleListener: ((content: string | undefined) => void) | undefined;
  status: TargetStatus;
  protectedPushes: number;
}

/**
 * The Nacos 2.x source (scheme `nacos`): watches services over the gRPC protocol and turns each
 * into a listener (key `nacos://<namespace>/<group>/<service>`) whose inline route table routes
 * to the service's instances, shaped by an optional traffic rule from Nacos config
 * (`<service>.mesh.yaml` in group `SIDECARLESS`). Optionally registers this process as an
 * ephemeral instance. Naming and config use separate connections; both reconnect, fail over and
 * redo their state by themselves.
 */
export class NacosSource extends EventEmitter<SourceEvents> implements Source {
  readonly scheme = 'nacos';
  readonly #o: ResolvedNacosSourceOptions;
  readonly #targets = new Map<string, TargetState>();
  readonly #naming = new Map<string, NacosNamingClient>();
  #config: NacosConfigClient | undefined;
  #auth: NacosAuth | undefined;
  #snapshot: MeshSnapshot = EMPTY_SNAPSHOT;
  #version = 0;
  #started = false;
  #closed = false;
  #restored = false;
  #publishQueued = false;

  /** @throws InvalidConfigError naming the offending option. */
  constructor(options: NacosSourceOptions) {
    super();
    this.#o = resolveNacosSourceOptions(options);
  }

  get snapshot(): MeshSnapshot {
    return this.#snapshot;
  }

  /** True once every watched service has delivered its first instance list (or a cache was restored). */
  get synced(): boolean {
    if (this.#restored && this.#version === 0) return true;
    if (!this.#started) return false;
    for (const t of this.#targets.values()) if (t.status === 'requested') return false;
    return true;
  }

  /** The config client (its own connection, module `config`), created on first use. */
  get config(): NacosConfigClient {
    if (this.#closed) throw new MeshError(ErrorCode.CLOSED, 'the Nacos source is closed');
    if (!this.#config) {
      const rpc = this.#rpc('config', configTenant(this.#o.namespace));
      this.#config = new NacosConfigClient(rpc, this.#o.logger);
      rpc.start();
    }
    return this.#config;
  }

  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    if (this.#o.credentials) {
      this.#auth = new NacosAuth({
        servers: this.#o.servers,
        ...this.#o.credentials,
        contextPath: this.#o.contextPath,
        clock: this.#o.clock,
        log: this.#o.logger,
        timeoutMs: this.#o.timing.requestTimeoutMs,
      });
      this.#auth.login().catch((err: Error) => this.#emitError(ErrorCode.AUTH_FAILED, err.message, err));
    }
    const naming = this.#namingClient(this.#o.namespace);
    for (const t of this.#targets.values()) this.#subscribe(t);
    const r = this.#o.register;
    if (r) {
      const instance: NacosInstance = {
        ip: r.ip,
        port: r.port,
        weight: r.weight,
        healthy: true,
        enabled: true,
        ephemeral: true,
        clusterName: r.cluster,
        metadata: { ...r.metadata },
      };
      naming.register(r.group, r.service, [instance]).catch((err: Error) => this.#emitError(ErrorCode.SOURCE_FAILURE, `registering ${r.service}: ${err.message}`, err));
    }
  }

  #rpc(module: 'naming' | 'config', tenant: string | undefined): NacosRpcClient {
    return new NacosRpcClient({
      module,
      servers: this.#o.servers,
      labels: { AppName: this.#o.appName },
      ...(tenant === undefined ? {} : { tenant }),
      clientVersion: NACOS_CLIENT_VERSION,
      clientIp: this.#o.clientIp,
      clock: this.#o.clock,
      log: this.#o.logger,
      timing: this.#o.timing,
      ...(this.#auth ? { auth: this.#auth } : {}),
    });
  }

  /** One naming connection per namespace: pushes carry no namespace (§3.2). */
  #namingClient(namespace: string): NacosNamingClient {
    let client = this.#naming.get(namespace);
    if (!client) {
      const rpc = this.#rpc('naming', undefined);
      client = new NacosNamingClient(rpc, namespace, this.#o.clock, this.#o.logger, this.#o.redoDelayMs);
      client.on('serviceInfo', (grouped, info) => this.#onServiceInfo(namespace, grouped, info));
      this.#naming.set(namespace, client);
      rpc.start();
    }
    return client;
  }

  watch(target: string): string | undefined {
    if (this.#closed) return undefined;
    const t = parseNacosTarget(target, this.#o);
    if (!t) return undefined;
    if (this.#targets.has(t.key)) return t.key;
    const state: TargetState = {
      target: t,
      pool: new InstanceEndpointPool(),
      endpoints: undefined,
      instances: 0,
      usable: false,
      model: undefined,
      rule: undefined,
      ruleListener: undefined,
      status: 'requested',
      protectedPushes: 0,
    };
    this.#targets.set(t.key, state);
    if (this.#started) this.#subscribe(state);
    return t.key;
  }

  #subscribe(state: TargetState): void {
    const t = state.target;
    this.#namingClient(t.namespace)
      .subscribe(t.group, t.service)
      .catch((err: Error) => this.#emitError(ErrorCode.SOURCE_FAILURE, `subscribing ${t.key}: ${err.message}`, err));
    if (this.#o.rulesGroup === false) return;
    const listener = (content: string | undefined) => this.#onRule(state, content);
    state.ruleListener = listener;
    this.config
      .listen(ruleDataId(t.service), this.#o.rulesGroup, t.namespace, listener)
      .catch((err: Error) => this.#emitError(ErrorCode.SOURCE_FAILURE, `listening to the rule of ${t.key}: ${err.message}`, err));
  }

  unwatch(target: string): void {
    const t = parseNacosTarget(target, this.#o);
    const state = t && this.#targets.get(t.key);
    if (!state) return;
    this.#targets.delete(state.target.key);
    const naming = this.#naming.get(state.target.namespace);
    naming?.unsubscribe(state.target.group, state.target.service).catch(() => {});
    if (state.ruleListener && this.#config && this.#o.rulesGroup !== false) {
      this.#config.unlisten(ruleDataId(state.target.service), this.#o.rulesGroup, state.target.namespace, state.ruleListener).catch(() => {});
    }
    this.#queuePublish();
  }

  targetStatus(listenerKey: string): TargetStatus {
    return this.#targets.get(listenerKey)?.status ?? 'doesNotExist';
  }

  #onServiceInfo(namespace: string, grouped: string, info: NacosServiceInfo): void {
    for (const state of this.#targets.values()) {
      const t = state.target;
      if (t.namespace !== namespace || groupedServiceName(t.group, t.service) !== grouped) continue;
      const usable = info.hosts.some(isUsable);
      if (!usable && this.#o.pushEmptyProtection && state.usable) {
        // namingPushEmptyProtection: keep serving the last instances rather than none.
        state.protectedPushes++;
        this.#o.logger('warn', `${t.key}: ignored an update without usable instances (push-empty protection)`);
        return;
      }
      const { endpoints, changed } = state.pool.update(info.hosts);
      const status = info.hosts.length > 0 ? 'exists' : 'doesNotExist';
      const first = state.endpoints === undefined;
      state.instances = info.hosts.length;
      state.usable = usable;
      // The same endpoints (same objects: unchanged instances) and status: nothing to publish.
      if (!first && !changed && status === state.status) return;
      state.endpoints = endpoints;
      state.model = undefined;
      state.status = status;
      this.#queuePublish();
    }
  }

  #onRule(state: TargetState, content: string | undefined): void {
    if (!this.#targets.has(state.target.key)) return;
    const dataId = ruleDataId(state.target.service);
    if (content === undefined || content.trim() === '') {
      if (state.rule === undefined) return;
      state.rule = undefined;
      state.model = undefined;
      this.#queuePublish();
      return;
    }
    try {
      const doc = parseConfigText(content, { source: `nacos config ${dataId}` });
      // Validate against the current endpoints before accepting: a bad rule never replaces a good one.
      nacosServiceModel(state.target.key, state.endpoints ?? [], doc);
      state.rule = doc;
      state.model = undefined;
      this.#queuePublish();
    } catch (err) {
      const error =
        err instanceof MeshError ? err : new InvalidConfigError(dataId, (err as Error).message, { code: ErrorCode.INVALID_RESOURCE, cause: err });
      this.#o.logger('warn', `${state.target.key}: rejected rule ${dataId}: ${error.message}`);
      this.emit('rejected', error);
    }
  }

  #queuePublish(): void {
    if (this.#publishQueued || this.#closed) return;
    this.#publishQueued = true;
    // Never synchronously from watch(); bursts of pushes coalesce into one snapshot.
    queueMicrotask(() => {
      this.#publishQueued = false;
      if (this.#closed) return;
      this.#snapshot = this.#build();
      this.emit('changed', this.#snapshot);
    });
  }

  #build(): MeshSnapshot {
    const listeners = new Map<string, Listener>();
    const clusters = new Map<string, Cluster>();
    for (const state of this.#targets.values()) {
      if (!state.endpoints) continue;
      // Unchanged services keep their listener and cluster objects: MeshClient skips their balancers.
      const model = (state.model ??= this.#model(state.target.key, state.endpoints, state.rule));
      listeners.set(state.target.key, model.listener);
      for (const [name, c] of model.clusters) clusters.set(name, c);
    }
    this.#version++;
    return freezeSnapshot({ version: `nacos-${this.#version}`, listeners, routeTables: new Map(), clusters });
  }

  #model(key: string, endpoints: readonly Endpoint[], rule: unknown): ServiceRules {
    try {
      return nacosServiceModel(key, endpoints, rule);
    } catch (err) {
      // A rule valid for earlier instances can only fail on new ones in corner cases: serve without it.
      this.#o.logger('warn', `${key}: rule no longer applies, routing without it: ${(err as Error).message}`);
      return nacosServiceModel(key, endpoints, undefined);
    }
  }

  restore(snapshot: MeshSnapshot): void {
    if (this.#version > 0 || this.#closed) return;
    this.#snapshot = snapshot;
    this.#restored = true;
  }

  #emitError(code: ErrorCode, message: string, cause: unknown): void {
    if (this.#closed) return;
    this.#o.logger('warn', message);
    this.emit('error', new MeshError(code, `nacos: ${message}`, { cause }));
  }

  dump(): Record<string, unknown> {
    return {
      scheme: this.scheme,
      servers: this.#o.servers.map((s) => ({ address: formatAddress(s.host, s.port), grpcPort: s.grpcPort })),
      namespace: this.#o.namespace,
      group: this.#o.group,
      ...(this.#auth ? { auth: this.#auth.dump() } : {}),
      register: this.#o.register
        ? { service: this.#o.register.service, group: this.#o.register.group, address: formatAddress(this.#o.register.ip, this.#o.register.port) }
        : undefined,
      naming: [...this.#naming.values()].map((n) => n.dump()),
      config: this.#config?.dump(),
      version: this.#snapshot.version,
      targets: [...this.#targets.values()].map((s) => ({
        key: s.target.key,
        status: s.status,
        instances: s.instances,
        rule: s.rule !== undefined,
        protectedPushes: s.protectedPushes,
      })),
    };
  }

  /** Deregisters this process's instance (best effort), then closes every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    const r = this.#o.register;
    const naming = this.#naming.get(this.#o.namespace);
    if (r && naming?.rpc.connected) {
      await naming.deregister(r.group, r.service).catch((err: Error) => this.#o.logger('warn', `deregistering ${r.service}: ${err.message}`));
    }
    this.#closed = true;
    for (const n of this.#naming.values()) n.close();
    this.#config?.close();
    this.#auth?.close();
    this.removeAllListeners();
  }
}
