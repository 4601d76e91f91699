import { EventEmitter } from 'eventemitter3';
import type { Clock, TimerHandle } from '../../clock';
import type { NacosLogger } from './nacos-log';
import { groupedServiceName, type NacosInstance, type NacosServiceInfo } from './nacos-messages';
import { failureBody, responseBase, successBody } from './nacos-response';
import type { NacosRpcClient } from './nacos-rpc-client';
import { hasNullHosts, parseServiceInfo } from './service-info';

/** Events of a {@link NacosNamingClient}. */
export interface NacosNamingEvents {
  /** New data for a subscribed service (`group@@service`), from a subscribe answer or a push. */
  serviceInfo: (groupedName: string, info: NacosServiceInfo) => void;
  /** A registration or subscription could not be (re)done; it is retried. */
  redoFailed: (what: string, error: Error) => void;
}

/** A failed naming operation: the server's errorCode and message. */
export class NacosNamingError extends Error {
  constructor(message: string, readonly errorCode: number) {
    super(message);
    this.name = 'NacosNamingError';
  }
}

interface Registration {
  readonly group: string;
  readonly service: string;
  readonly instances: readonly NacosInstance[];
}

/**
 * The naming side of one namespace over one logical connection (module `naming`): registers
 * ephemeral instances and subscribes services, and redoes both after every reconnect
 * (nacos-protocol §2.8) — at once, then every `redoDelayMs` until it succeeds.
 */
export class NacosNamingClient extends EventEmitter<NacosNamingEvents> {
  readonly #registrations = new Map<string, Registration>();
  readonly #subscriptions = new Map<string, { group: string; service: string }>();
  #redoTimer: TimerHandle | undefined;
  #closed = false;

  constructor(
    readonly rpc: NacosRpcClient,
    readonly namespace: string,
    private readonly clock: Clock,
    private readonly log: NacosLogger,
    private readonly redoDelayMs = 3000,
  ) {
    super();
    rpc.onServerRequest('NotifySubscriberRequest', (p) => {
      const raw = p.body?.['serviceInfo'];
      if (hasNullHosts(raw)) {
        this.log('warn', 'ignored a NotifySubscriberRequest whose serviceInfo.hosts is null');
        return successBody();
      }
      const info = parseServiceInfo(raw);
      if (typeof info === 'string') {
        this.log('warn', `ignored a malformed NotifySubscriberRequest: ${info}`);
        // What the Java client answers when its handler fails (§2.5); the server retries later.
        return failureBody(-500, 'Handle server request error');
      }
      this.#deliver(info);
      return successBody();
    });
    rpc.on('connected', () => this.#redo());
  }

  #deliver(info: NacosServiceInfo): void {
    const key = groupedServiceName(info.groupName, info.name);
    if (!this.#subscriptions.has(key)) return;
    this.emit('serviceInfo', key, info);
  }

  async #send(type: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.rpc.request(type, { headers: {}, namespace: this.namespace, ...fields, module: 'naming' }, { app: 'sidecarless' });
    const base = responseBase(res.body);
    if (!base.success) throw new NacosNamingError(`${type}: ${res.type} errorCode ${base.errorCode} ${base.message ?? ''}`.trim(), base.errorCode);
    return res.body ?? {};
  }

  async #sendRegistration(r: Registration): Promise<void> {
    if (r.instances.length === 1) {
      await this.#send('InstanceRequest', { serviceName: r.service, groupName: r.group, type: 'registerInstance', instance: r.instances[0] });
    } else {
      await this.#send('BatchInstanceRequest', { serviceName: r.service, groupName: r.group, type: 'batchRegisterInstance', instances: r.instances });
    }
  }

  /**
   * Publishes this process's instances of a service (one → InstanceRequest, several →
   * BatchInstanceRequest; either replaces the previous set, rule N2). Kept for redo; while
   * connected, resolves when the server accepted it, otherwise at once (sent on connect).
   */
  async register(group: string, service: string, instances: readonly NacosInstance[]): Promise<void> {
    const r: Registration = { group, service, instances: instances.map((i) => ({ ...i, ephemeral: true })) };
    this.#registrations.set(groupedServiceName(group, service), r);
    // Not connected yet: the redo on 'connected' sends it; sending now as well would register twice.
    if (this.rpc.connected) await this.#sendRegistration(r);
  }

  /** Removes this process's instances of a service. */
  async deregister(group: string, service: string): Promise<void> {
    const r = this.#registrations.get(groupedServiceName(group, service));
    this.#registrations.delete(groupedServiceName(group, service));
    if (!r || !this.rpc.connected) return;
    await this.#send('InstanceRequest', { serviceName: service, groupName: group, type: 'deregisterInstance', instance: r.instances[0] });
  }

  /** Subscribes a service; data arrives as `serviceInfo` events (the answer and every push). */
  async subscribe(group: string, service: string): Promise<void> {
    const key = groupedServiceName(group, service);
    this.#subscriptions.set(key, { group, service });
    // Not connected yet: the redo on 'connected' subscribes; sending now as well would subscribe twice.
    if (this.rpc.connected) await this.#sendSubscribe(group, service, true);
  }

  async #sendSubscribe(group: string, service: string, subscribe: boolean): Promise<void> {
    const body = await this.#send('SubscribeServiceRequest', { serviceName: service, groupName: group, subscribe, clusters: '' });
    if (!subscribe) return;
    const info = parseServiceInfo(body['serviceInfo']);
    if (typeof info === 'string') this.log('warn', `ignored a malformed SubscribeServiceResponse: ${info}`);
    else this.#deliver(info);
  }

  /** Stops receiving a service. */
  async unsubscribe(group: string, service: string): Promise<void> {
    if (!this.#subscriptions.delete(groupedServiceName(group, service))) return;
    if (this.rpc.connected) await this.#sendSubscribe(group, service, false);
  }

  /** Re-sends every registration and subscription on the new connection (§2.8). */
  #redo(): void {
    this.clock.clearTimeout(this.#redoTimer);
    this.#redoTimer = undefined;
    const jobs: Array<Promise<void>> = [];
    for (const r of this.#registrations.values()) {
      jobs.push(this.#sendRegistration(r).catch((e: Error) => this.#redoFailed(`register ${groupedServiceName(r.group, r.service)}`, e)));
    }
    for (const s of this.#subscriptions.values()) {
      jobs.push(this.#sendSubscribe(s.group, s.service, true).catch((e: Error) => this.#redoFailed(`subscribe ${groupedServiceName(s.group, s.service)}`, e)));
    }
    void Promise.all(jobs);
  }

  #redoFailed(what: string, error: Error): void {
    if (this.#closed) return;
    this.log('warn', `naming redo of ${what} failed: ${error.message}`);
    this.emit('redoFailed', what, error);
    if (this.#redoTimer === undefined) {
      this.#redoTimer = this.clock.setTimeout(() => {
        this.#redoTimer = undefined;
        if (this.rpc.connected) this.#redo();
      }, this.redoDelayMs);
    }
  }

  /** Registered services and subscriptions, for dumps. */
  dump(): Record<string, unknown> {
    return {
      namespace: this.namespace,
      registrations: [...this.#registrations.keys()],
      subscriptions: [...this.#subscriptions.keys()],
      connection: this.rpc.dump(),
    };
  }

  /** Stops redo and closes the connection (its instances vanish server-side, §2.10). */
  close(): void {
    this.#closed = true;
    this.clock.clearTimeout(this.#redoTimer);
    this.rpc.close();
  }
}
