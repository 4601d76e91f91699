import type { Clock, TimerHandle } from '../../clock';
import { groupedServiceName, type NacosInstance, type NacosServiceInfo } from '../../sources/nacos/nacos-messages';
import { NacosServerException } from './server-exception';
import type { ServerConnection } from './server-connection';

/** Naming timers of the test server (ms). */
export interface NamingTiming {
  /** Merge delay before a changed service is pushed (Nacos 500). */
  readonly pushDelayMs: number;
  /** How long a push waits for its ack (Nacos 5000). */
  readonly pushAckTimeoutMs: number;
  /** Pause before an unacked push is retried (Nacos 1000). */
  readonly pushRetryDelayMs: number;
}

/** One naming push the server made, for inspection by tests. */
export interface NamingPushRecord {
  readonly connectionId: string;
  readonly namespace: string;
  readonly groupName: string;
  readonly serviceName: string;
  readonly requestId: string;
  /** Addresses `ip:port` in the pushed ServiceInfo. */
  readonly hosts: readonly string[];
  /** Whether the client acked it successfully. */
  readonly acked: boolean;
}

/** Who published instances: a connection id, `admin` (foreign apps) or `persistent`. */
type PublisherId = string;

interface ServiceEntry {
  readonly namespace: string;
  readonly group: string;
  readonly name: string;
  ephemeral: boolean | undefined;
  readonly publishers: Map<PublisherId, NacosInstance[]>;
  /** connection id → cluster filter. */
  readonly subscribers: Map<string, string>;
}

/** Callbacks from the registry to the server. */
export interface NamingRegistryHost {
  connection(id: string): ServerConnection | undefined;
  onPush(record: NamingPushRecord): void;
  onChange(namespace: string, group: string, service: string): void;
}

/** `ip#port#cluster#group@@service` (the `simple` instance id generator). */
function defaultInstanceId(i: NacosInstance, grouped: string): string {
  return `${i.ip}#${i.port}#${i.clusterName}#${grouped}`;
}

/**
 * The naming data of the test server: services, instances by publisher, subscribers, and the
 * delayed, acked, retried pushes of nacos-protocol §2.11 and rules N1–N8 of §3.2.
 */
export class NamingRegistry {
  readonly #services = new Map<string, ServiceEntry>();
  readonly #pending = new Map<string, TimerHandle>();
  readonly #timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly timing: NamingTiming,
    private readonly host: NamingRegistryHost,
  ) {}

  static #key(namespace: string, group: string, service: string): string {
    return `${namespace}##${groupedServiceName(group, service)}`;
  }

  #entry(namespace: string, group: string, service: string, create: boolean): ServiceEntry | undefined {
    const key = NamingRegistry.#key(namespace, group, service);
    let e = this.#services.get(key);
    if (!e && create) {
      e = { namespace, group, name: service, ephemeral: undefined, publishers: new Map(), subscribers: new Map() };
      this.#services.set(key, e);
    }
    return e;
  }

  /** Normalises an instance as the server stores it. */
  static normalise(i: Partial<NacosInstance> & { ip: string; port: number }, group: string, service: string, ephemeral: boolean): NacosInstance {
    const grouped = groupedServiceName(group, service);
    const inst: NacosInstance = {
      ip: i.ip,
      port: i.port,
      weight: typeof i.weight === 'number' ? i.weight : 1,
      healthy: i.healthy !== false,
      enabled: i.enabled !== false,
      ephemeral,
      clusterName: i.clusterName ? i.clusterName : 'DEFAULT',
      serviceName: grouped,
      metadata: { ...(i.metadata ?? {}) },
    };
    inst.instanceId = i.instanceId ? i.instanceId : defaultInstanceId(inst, grouped);
    return inst;
  }

  /** Replaces one publisher's instances of a service (N2); an empty list removes the publication. */
  publish(namespace: string, group: string, service: string, publisher: PublisherId, instances: NacosInstance[], ephemeral: boolean): void {
    const e = this.#entry(namespace, group, service, instances.length > 0);
    if (!e) return;
    if (instances.length > 0) {
      if (e.ephemeral !== undefined && e.ephemeral !== ephemeral && this.#count(e) > 0) {
        throw new NacosServerException(
          400,
          `Current service ${groupedServiceName(group, service)} is ${e.ephemeral ? 'ephemeral' : 'persistent'} service, can't register ${ephemeral ? 'ephemeral' : 'persistent'} instance.`,
        );
      }
      e.ephemeral = ephemeral;
      e.publishers.set(publisher, instances);
    } else if (!e.publishers.delete(publisher)) return;
    this.#changed(e);
  }

  /** The instances one publisher holds for a service. */
  published(namespace: string, group: string, service: string, publisher: PublisherId): NacosInstance[] {
    return this.#entry(namespace, group, service, false)?.publishers.get(publisher) ?? [];
  }

  #count(e: ServiceEntry): number {
    let n = 0;
    for (const list of e.publishers.values()) n += list.length;
    return n;
  }

  /** Every stored instance of a service, disabled ones included. */
  instances(namespace: string, group: string, service: string): NacosInstance[] {
    const e = this.#entry(namespace, group, service, false);
    return e ? [...e.publishers.values()].flat() : [];
  }

  /** Connection ids subscribed to a service. */
  subscribers(namespace: string, group: string, service: string): string[] {
    return [...(this.#entry(namespace, group, service, false)?.subscribers.keys() ?? [])];
  }

  /** The ServiceInfo clients see (N6): enabled instances, cluster filter, optional healthy-only. */
  serviceInfo(namespace: string, group: string, service: string, clusters = '', healthyOnly = false): NacosServiceInfo {
    const wanted = new Set(clusters.split(',').map((c) => c.trim()).filter((c) => c !== ''));
    const hosts = this.instances(namespace, group, service).filter(
      (i) => i.enabled && (wanted.size === 0 || wanted.has(i.clusterName)) && (!healthyOnly || i.healthy),
    );
    return {
      name: service,
      groupName: group,
      clusters,
      cacheMillis: 10_000,
      // Stored instances are replaced, never edited: no copy needed before the JSON encoding.
      hosts,
      lastRefTime: this.clock.now(),
      checksum: '',
      allIPs: false,
      reachProtectionThreshold: false,
      valid: true,
    };
  }

  /**
   * Adds or removes a subscription (N7). The first subscription of a connection to a service
   * schedules a push to that connection only (§2.11).
   */
  subscribe(conn: ServerConnection, namespace: string, group: string, service: string, clusters: string, subscribe: boolean): void {
    const e = this.#entry(namespace, group, service, subscribe);
    if (!e) return;
    if (!subscribe) {
      e.subscribers.delete(conn.connectionId);
      return;
    }
    const first = !e.subscribers.has(conn.connectionId);
    e.subscribers.set(conn.connectionId, clusters);
    if (first) this.#later(this.timing.pushDelayMs, () => void this.#pushTo(e, conn.connectionId));
  }

  /** Drops everything a connection published or subscribed (§2.9). */
  removeConnection(connectionId: string): void {
    for (const e of this.#services.values()) {
      e.subscribers.delete(connectionId);
      if (e.publishers.delete(connectionId)) this.#changed(e);
    }
  }

  /** Names of the services in a namespace and group (for ServiceListRequest). */
  serviceNames(namespace: string, group: string): string[] {
    const out: string[] = [];
    for (const e of this.#services.values()) {
      if (e.namespace === namespace && e.group === group && this.#count(e) > 0) out.push(e.name);
    }
    return out;
  }

  #changed(e: ServiceEntry): void {
    this.host.onChange(e.namespace, e.group, e.name);
    const key = NamingRegistry.#key(e.namespace, e.group, e.name);
    if (this.#pending.has(key)) return; // merged into the pending push
    const timer = this.#later(this.timing.pushDelayMs, () => {
      this.#pending.delete(key);
      for (const id of e.subscribers.keys()) void this.#pushTo(e, id);
    });
    this.#pending.set(key, timer);
  }

  #later(ms: number, fn: () => void): TimerHandle {
    const t = this.clock.setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
    return t;
  }

  /** One push with ack; unacked pushes are retried while the client stays subscribed. */
  async #pushTo(e: ServiceEntry, connectionId: string): Promise<void> {
    const conn = this.host.connection(connectionId);
    const clusters = e.subscribers.get(connectionId);
    if (!conn?.registered || clusters === undefined) return;
    const serviceInfo = this.serviceInfo(e.namespace, e.group, e.name, clusters);
    const outcome = await conn.push('NotifySubscriberRequest', { serviceInfo, module: 'naming' }, this.timing.pushAckTimeoutMs);
    this.host.onPush({
      connectionId,
      namespace: e.namespace,
      groupName: e.group,
      serviceName: e.name,
      requestId: outcome.requestId,
      hosts: serviceInfo.hosts.map((h) => `${h.ip}:${h.port}`),
      acked: outcome.acked,
    });
    if (!outcome.acked && conn.registered && e.subscribers.has(connectionId)) {
      this.#later(this.timing.pushRetryDelayMs, () => void this.#pushTo(e, connectionId));
    }
  }

  /** Cancels every timer. */
  close(): void {
    for (const t of this.#timers) this.clock.clearTimeout(t);
    this.#timers.clear();
    this.#pending.clear();
  }
}
