import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../clock';
import type { ConfigKey } from '../../sources/nacos/nacos-messages';
import { configTenant } from '../../sources/nacos/namespace-defaults';
import type { ServerConnection } from './server-connection';

/** Config push timers of the test server (ms). */
export interface ConfigTiming {
  /** How long a ConfigChangeNotifyRequest waits for its ack (Nacos 3000). */
  readonly configPushAckTimeoutMs: number;
  /** Retry n waits n × this (Nacos 2000). */
  readonly configPushRetryStepMs: number;
  /** After this many failed tries the connection is dropped (Nacos 50). */
  readonly configPushMaxRetries: number;
}

/** One stored config. */
export interface StoredConfig {
  readonly dataId: string;
  readonly group: string;
  /** Normalised: the default namespace is `""`. */
  readonly tenant: string;
  readonly content: string;
  readonly md5: string;
  readonly type: string;
  readonly lastModified: number;
}

/** Callbacks from the registry to the server. */
export interface ConfigRegistryHost {
  connection(id: string): ServerConnection | undefined;
  /** A config push failed too often: unregister the connection. */
  dropConnection(id: string, reason: string): void;
  onNotify(connectionId: string, key: ConfigKey, acked: boolean): void;
}

const TYPES = new Set(['text', 'json', 'xml', 'yaml', 'html', 'properties']);

/** Lower-case hex MD5 of the UTF-8 content (C1). */
export function configMd5(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

/**
 * The config data of the test server: contents with md5, listens per connection keyed by the raw
 * tenant (so a listen with tenant `public` never matches, as in Nacos 2.5, §9.2) and change
 * notifications with ack, retry and drop (§2.11).
 */
export class ConfigRegistry {
  readonly #configs = new Map<string, StoredConfig>();
  /** listen key → connection id → md5. */
  readonly #listens = new Map<string, Map<string, string>>();
  readonly #timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly timing: ConfigTiming,
    private readonly host: ConfigRegistryHost,
  ) {}

  static #key(dataId: string, group: string, tenant: string): string {
    return `${dataId}+${group}+${tenant}`;
  }

  /** The config, or undefined. */
  get(dataId: string, group: string, tenant: unknown): StoredConfig | undefined {
    return this.#configs.get(ConfigRegistry.#key(dataId, group, configTenant(tenant)));
  }

  /** Stores content and notifies listeners; returns false when `casMd5` does not match (C4, §9.8). */
  publish(dataId: string, group: string, tenant: unknown, content: string, type?: string, casMd5?: string): boolean {
    const t = configTenant(tenant);
    const key = ConfigRegistry.#key(dataId, group, t);
    const old = this.#configs.get(key);
    if (casMd5 && old && old.md5 !== casMd5) return false;
    const md5 = configMd5(content);
    this.#configs.set(key, {
      dataId,
      group,
      tenant: t,
      content,
      md5,
      type: type && TYPES.has(type) ? type : 'text',
      lastModified: this.clock.now(),
    });
    if (old?.md5 !== md5) this.#notify({ dataId, group, tenant: t });
    return true;
  }

  /** Removes a config (a missing one is fine, C5) and notifies listeners. */
  remove(dataId: string, group: string, tenant: unknown): void {
    const t = configTenant(tenant);
    if (this.#configs.delete(ConfigRegistry.#key(dataId, group, t))) this.#notify({ dataId, group, tenant: t });
  }

  /** C2: records listens and returns the keys whose md5 differs from the server's. */
  listen(connectionId: string, contexts: Array<ConfigKey & { md5: string }>, listen: boolean): ConfigKey[] {
    const changed: ConfigKey[] = [];
    for (const c of contexts) {
      const lkey = ConfigRegistry.#key(c.dataId, c.group, c.tenant ?? '');
      if (!listen) {
        this.#listens.get(lkey)?.delete(connectionId);
        continue;
      }
      let conns = this.#listens.get(lkey);
      if (!conns) this.#listens.set(lkey, (conns = new Map()));
      conns.set(connectionId, c.md5 ?? '');
      // The listen key uses the raw tenant: `public` does not address the default namespace here.
      const stored = this.#configs.get(ConfigRegistry.#key(c.dataId, c.group, c.tenant ?? ''));
      if ((stored?.md5 ?? '') !== (c.md5 ?? '')) changed.push({ dataId: c.dataId, group: c.group, tenant: c.tenant ?? '' });
    }
    return changed;
  }

  /** Connection ids listening to a key (raw tenant). */
  listeners(dataId: string, group: string, tenant = ''): string[] {
    return [...(this.#listens.get(ConfigRegistry.#key(dataId, group, tenant))?.keys() ?? [])];
  }

  /** Drops a connection's listens (§2.9). */
  removeConnection(connectionId: string): void {
    for (const conns of this.#listens.values()) conns.delete(connectionId);
  }

  #notify(key: ConfigKey): void {
    for (const id of this.#listens.get(ConfigRegistry.#key(key.dataId, key.group, key.tenant))?.keys() ?? []) {
      void this.#pushTo(id, key, 1);
    }
  }

  async #pushTo(connectionId: string, key: ConfigKey, attempt: number): Promise<void> {
    const conn = this.host.connection(connectionId);
    if (!conn?.registered) return;
    const outcome = await conn.push(
      'ConfigChangeNotifyRequest',
      { dataId: key.dataId, group: key.group, tenant: key.tenant, module: 'config' },
      this.timing.configPushAckTimeoutMs,
    );
    this.host.onNotify(connectionId, key, outcome.acked);
    if (outcome.acked || !conn.registered) return;
    if (attempt >= this.timing.configPushMaxRetries) {
      this.host.dropConnection(connectionId, `config push failed ${attempt} times`);
      return;
    }
    const t = this.clock.setTimeout(() => {
      this.#timers.delete(t);
      void this.#pushTo(connectionId, key, attempt + 1);
    }, attempt * this.timing.configPushRetryStepMs);
    this.#timers.add(t);
  }

  /** Cancels every timer. */
  close(): void {
    for (const t of this.#timers) this.clock.clearTimeout(t);
    this.#timers.clear();
  }
}
