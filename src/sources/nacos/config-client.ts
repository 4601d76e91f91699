import { createHash } from 'node:crypto';
import type { NacosLogger } from './nacos-log';
import { NacosErrorCode, type ConfigKey } from './nacos-messages';
import { configTenant } from './namespace-defaults';
import { responseBase, successBody } from './nacos-response';
import type { NacosRpcClient } from './nacos-rpc-client';

/** A config as read from the server. */
export interface NacosConfig {
  readonly content: string;
  readonly md5: string;
  /** `text`, `yaml`, `json`, … as stored. */
  readonly contentType: string;
}

/** Called with the new content, or undefined when the config was removed. */
export type ConfigListener = (content: string | undefined, key: ConfigKey) => void;

/** A failed config operation. */
export class NacosConfigError extends Error {
  constructor(message: string, readonly errorCode: number) {
    super(message);
    this.name = 'NacosConfigError';
  }
}

/** Publish options. */
export interface PublishConfigOptions {
  /** `text` (default), `yaml`, `json`, `properties`, … */
  readonly type?: string;
  /** Compare-and-set: publish only if the stored md5 equals this. */
  readonly casMd5?: string;
}

interface CacheEntry {
  readonly key: ConfigKey;
  md5: string;
  content: string | undefined;
  /** Whether the content was read once: listeners learn the first content from listen() only. */
  read: boolean;
  readonly listeners: Set<ConfigListener>;
}

/**
 * The key of a change notification or of a `changedConfigs` entry; undefined when it names no
 * data id and group. The tenant is normalised like the ones this client sends: servers leave it
 * out for the default namespace (Nacos 3.x notifies a blank-tenant listen with none, §8 check 25).
 */
function readConfigKey(raw: unknown): ConfigKey | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const dataId = o['dataId'];
  const group = o['group'];
  if (typeof dataId !== 'string' || typeof group !== 'string') return undefined;
  return { dataId, group, tenant: configTenant(o['tenant']) };
}

function cacheKey(k: ConfigKey): string {
  return `${k.dataId}+${k.group}+${k.tenant}`;
}

/**
 * The config side over one logical connection (module `config`): query, publish, remove, and
 * md5 listens with ConfigBatchListenRequest. A ConfigChangeNotifyRequest is acked at once, then
 * the key is re-queried with header `notify=true`; after a reconnect every listen is re-sent with
 * its current md5 (nacos-protocol §2.8, §3.3).
 */
export class NacosConfigClient {
  readonly #cache = new Map<string, CacheEntry>();

  /** @internal Created by the NacosSource (`source.config`). */
  constructor(
    private readonly rpc: NacosRpcClient,
    private readonly log: NacosLogger,
  ) {
    rpc.onServerRequest('ConfigChangeNotifyRequest', (p) => {
      const key = readConfigKey(p.body);
      const entry = key && this.#cache.get(cacheKey(key));
      if (entry) void this.#refresh(entry, true);
      return successBody();
    });
    rpc.on('connected', () => void this.#relisten());
  }

  /** Reads a config; undefined when it does not exist (errorCode 300, §8 check 20). */
  async get(dataId: string, group: string, namespace = ''): Promise<NacosConfig | undefined> {
    return this.#query({ dataId, group, tenant: configTenant(namespace) }, false);
  }

  async #query(key: ConfigKey, notify: boolean): Promise<NacosConfig | undefined> {
    const res = await this.rpc.request(
      'ConfigQueryRequest',
      { headers: {}, dataId: key.dataId, group: key.group, tenant: key.tenant, module: 'config' },
      { notify: String(notify) },
    );
    const base = responseBase(res.body);
    if (!base.success) {
      if (base.errorCode === NacosErrorCode.INVALID_SERVER_STATUS) return undefined;
      throw new NacosConfigError(`ConfigQueryRequest ${key.dataId}: errorCode ${base.errorCode} ${base.message ?? ''}`.trim(), base.errorCode);
    }
    const b = res.body ?? {};
    const content = typeof b['content'] === 'string' ? b['content'] : '';
    return {
      content,
      md5: typeof b['md5'] === 'string' && b['md5'] ? b['md5'] : createHash('md5').update(content, 'utf8').digest('hex'),
      contentType: typeof b['contentType'] === 'string' ? b['contentType'] : 'text',
    };
  }

  /** Publishes a config; false when a compare-and-set md5 did not match. */
  async publish(dataId: string, group: string, content: string, namespace = '', options: PublishConfigOptions = {}): Promise<boolean> {
    const res = await this.rpc.request('ConfigPublishRequest', {
      headers: {},
      dataId,
      group,
      tenant: configTenant(namespace),
      content,
      casMd5: options.casMd5,
      additionMap: { type: options.type ?? 'text' },
      module: 'config',
    });
    const base = responseBase(res.body);
    if (base.success) return true;
    if (options.casMd5 !== undefined && base.errorCode === NacosErrorCode.SERVER_ERROR) return false;
    throw new NacosConfigError(`ConfigPublishRequest ${dataId}: errorCode ${base.errorCode} ${base.message ?? ''}`.trim(), base.errorCode);
  }

  /** Removes a config (a missing one is fine). */
  async remove(dataId: string, group: string, namespace = ''): Promise<void> {
    const res = await this.rpc.request('ConfigRemoveRequest', { headers: {}, dataId, group, tenant: configTenant(namespace), module: 'config' });
    const base = responseBase(res.body);
    if (!base.success) throw new NacosConfigError(`ConfigRemoveRequest ${dataId}: errorCode ${base.errorCode}`, base.errorCode);
  }

  /**
   * Listens to a config: the listener gets the current content (or undefined) once, then every
   * change. Resolves after the first read.
   */
  async listen(dataId: string, group: string, namespace: string, listener: ConfigListener): Promise<void> {
    const key: ConfigKey = { dataId, group, tenant: configTenant(namespace) };
    let entry = this.#cache.get(cacheKey(key));
    if (!entry) {
      entry = { key, md5: '', content: undefined, read: false, listeners: new Set() };
      this.#cache.set(cacheKey(key), entry);
    }
    entry.listeners.add(listener);
    // Not connected yet: the re-listen on 'connected' sends it; sending now as well would listen twice.
    if (this.rpc.connected) await this.#sendListen([entry], true);
    await this.#refresh(entry, false, listener);
  }

  /** Stops a listener; the server listen is removed with the last one. */
  async unlisten(dataId: string, group: string, namespace: string, listener: ConfigListener): Promise<void> {
    const key: ConfigKey = { dataId, group, tenant: configTenant(namespace) };
    const entry = this.#cache.get(cacheKey(key));
    if (!entry) return;
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0) return;
    this.#cache.delete(cacheKey(key));
    if (this.rpc.connected) await this.#sendListen([entry], false);
  }

  async #sendListen(entries: CacheEntry[], listen: boolean): Promise<ConfigKey[]> {
    const res = await this.rpc.request('ConfigBatchListenRequest', {
      headers: {},
      listen,
      configListenContexts: entries.map((e) => ({ dataId: e.key.dataId, group: e.key.group, tenant: e.key.tenant, md5: e.md5 })),
      module: 'config',
    });
    const base = responseBase(res.body);
    if (!base.success) throw new NacosConfigError(`ConfigBatchListenRequest: errorCode ${base.errorCode}`, base.errorCode);
    const changed = res.body?.['changedConfigs'];
    if (!Array.isArray(changed)) return [];
    const keys: ConfigKey[] = [];
    for (const c of changed) {
      const k = readConfigKey(c);
      if (k) keys.push(k);
    }
    return keys;
  }

  /** Re-reads a key; tells listeners when the md5 moved (or only `only`, for a first read). */
  async #refresh(entry: CacheEntry, notify: boolean, only?: ConfigListener): Promise<void> {
    let config: NacosConfig | undefined;
    try {
      config = await this.#query(entry.key, notify);
    } catch (err) {
      this.log('warn', `config ${entry.key.dataId}/${entry.key.group} could not be read: ${(err as Error).message}`);
      return;
    }
    const md5 = config?.md5 ?? '';
    const changed = md5 !== entry.md5 && entry.read;
    entry.md5 = md5;
    entry.content = config?.content;
    entry.read = true;
    const targets = only ? [only] : changed ? [...entry.listeners] : [];
    for (const l of targets) {
      try {
        l(entry.content, entry.key);
      } catch (err) {
        this.log('warn', `a config listener threw: ${(err as Error).message}`);
      }
    }
  }

  async #relisten(): Promise<void> {
    const entries = [...this.#cache.values()];
    if (entries.length === 0) return;
    try {
      const changed = await this.#sendListen(entries, true);
      for (const k of changed) {
        const e = this.#cache.get(cacheKey(k));
        if (e) await this.#refresh(e, false);
      }
    } catch (err) {
      this.log('warn', `config re-listen failed: ${(err as Error).message}`);
    }
  }

  /** Listened keys with their md5s, for dumps. */
  dump(): Record<string, unknown> {
    return {
      listens: [...this.#cache.values()].map((e) => ({ ...e.key, md5: e.md5 })),
      connection: this.rpc.dump(),
    };
  }

  /** Closes the connection. */
  close(): void {
    this.rpc.close();
  }
}
