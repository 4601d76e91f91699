import { EventEmitter } from 'eventemitter3';
import { ErrorCode, MeshError } from '../../errors';
import { AdsChannel, type AdsCall } from './ads-channel';
import { DEFAULT_BACKOFF, ExponentialBackoff, type BackoffOptions } from './backoff';
import type { XdsBootstrap, XdsServerConfig } from './bootstrap';
import { systemClock as SYSTEM_CLOCK, type Clock, type TimerHandle } from '../../clock';
import { decodeMessage } from './protos';
import type { XdsResourceType } from './resources/resource-type';
import { GrpcStatus } from './transport/grpc-status-error';
import { TypeUrl } from './type-urls';
import { jsonToStruct } from './well-known';
import type {
  WireAny,
  WireDeltaDiscoveryRequest,
  WireDeltaDiscoveryResponse,
  WireDiscoveryRequest,
  WireDiscoveryResponse,
  WireNode,
  WireResource,
} from './wire-types';

/** Client features sidecarless advertises (xds-reference §1.9, §8). */
export const CLIENT_FEATURES: readonly string[] = Object.freeze([
  'envoy.lb.does_not_support_overprovisioning',
  'xds.config.resource-in-sotw',
]);

/** The conventional NACK code. */
const INVALID_ARGUMENT = GrpcStatus.INVALID_ARGUMENT;

/** What a watcher of one resource hears. Callbacks run inside response processing; keep them short. */
export interface ResourceWatcher<T> {
  /** A new valid version (never called for a byte-identical resend). */
  onResource(value: T): void;
  /** The resource was rejected and there is no previous valid version (A46). */
  onError(error: MeshError): void;
  /** The server says (or the timer concluded) that the resource does not exist. */
  onDoesNotExist(): void;
}

/** Cache state of one resource (CSDS `ClientResourceStatus`). */
export type ResourceStatus = 'requested' | 'acked' | 'nacked' | 'doesNotExist';

/** One watched resource in a CSDS-like dump (`XdsSource.dump().resources`). */
export interface ResourceDump {
  readonly typeUrl: string;
  readonly type: string;
  readonly name: string;
  /** Version of the response that delivered the accepted value ('' if none). */
  readonly version: string;
  readonly status: ResourceStatus;
  /** ISO time the accepted value arrived. */
  readonly lastUpdated?: string;
  /** The last rejection of this resource. */
  readonly error?: { readonly message: string; readonly version: string; readonly at: string };
}

/** Options of {@link XdsClient}. */
export interface XdsClientOptions {
  readonly bootstrap: XdsBootstrap;
  /** Use incremental (delta) ADS instead of state of the world. */
  readonly delta: boolean;
  /** Does-not-exist timeout. */
  readonly resourceTimeoutMs: number;
  readonly clock: Clock;
  readonly backoff: BackoffOptions;
  readonly random: () => number;
  readonly userAgentName: string;
  readonly userAgentVersion: string;
}

/** Events of {@link XdsClient}. */
export interface XdsClientEvents {
  /** A response was rejected (NACK sent); `error.code` is MESH_ERR_NACKED. */
  nack: (error: MeshError, typeUrl: string) => void;
  /** A stream to a server failed before any response (the cache keeps serving). */
  error: (error: MeshError) => void;
  /** A server answered; `serverIndex` is its position in `xds_servers`. */
  connected: (serverIndex: number) => void;
  /** A request was written (for tests and tracing). */
  request: (request: WireDiscoveryRequest | WireDeltaDiscoveryRequest, serverIndex: number) => void;
}

interface Entry {
  readonly name: string;
  readonly watchers: Set<ResourceWatcher<unknown>>;
  value: unknown;
  raw: Uint8Array | undefined;
  version: string;
  status: ResourceStatus;
  lastUpdated: number | undefined;
  error: { message: string; version: string; at: number } | undefined;
  timer: TimerHandle | undefined;
}

interface TypeState {
  readonly type: XdsResourceType<unknown>;
  readonly entries: Map<string, Entry>;
  /** Bumped whenever a name is added to or removed from `entries`. */
  generation: number;
}

/** Per-type protocol state on one stream. */
interface StreamTypeState {
  nonce: string;
  /** SotW: the names last sent; delta: the names subscribed on this stream. */
  sent: Set<string>;
  /**
   * The {@link TypeState.generation} `sent` reflects: when equal, the subscriptions are unchanged
   * and a flush need not compare 10,000 names (it runs after every delta response).
   */
  sentGeneration: number;
}

/** One xDS server of the bootstrap and its current ADS stream. */
class ServerConnection {
  readonly index: number;
  readonly server: XdsServerConfig;
  readonly channel: AdsChannel;
  readonly backoff: ExponentialBackoff;
  /** SotW: last accepted version per type on this server (survives streams). */
  readonly versions = new Map<string, string>();
  call: AdsCall | undefined;
  streamTypes = new Map<string, StreamTypeState>();
  sentNode = false;
  responded = false;
  connected = false;
  retryTimer: TimerHandle | undefined;
  closed = false;

  constructor(index: number, server: XdsServerConfig, backoff: ExponentialBackoff, userAgent: string) {
    this.index = index;
    this.server = server;
    this.channel = new AdsChannel(server, userAgent);
    this.backoff = backoff;
  }
}

function sameSet(a: ReadonlySet<string>, b: Iterable<string>): boolean {
  let n = 0;
  for (const x of b) {
    if (!a.has(x)) return false;
    n++;
  }
  return n === a.size;
}

function bytesEqual(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0;
}

/**
 * A generic ADS client (xds-reference §1–2): one subscription per (type, name) whatever the number
 * of watchers, ACK/NACK with A46 partial acceptance, does-not-exist timers (A57), reconnect with
 * backoff, resubscription with last versions, and server fallback (A71). It knows no concrete
 * resource type: types come from the registry keyed by type URL.
 */
export class XdsClient extends EventEmitter<XdsClientEvents> {
  readonly #options: XdsClientOptions;
  readonly #node: WireNode;
  readonly #types = new Map<string, TypeState>();
  readonly #connections: (ServerConnection | undefined)[];
  /** Index of the server whose responses are applied; undefined while none is healthy. */
  #active: number | undefined;
  #flushScheduled = false;
  #started = false;
  #closed = false;

  constructor(options: XdsClientOptions) {
    super();
    this.#options = options;
    const node = options.bootstrap.node;
    this.#node = {
      id: node.id,
      cluster: node.cluster,
      metadata: jsonToStruct(node.metadata as Record<string, unknown>),
      ...(node.locality ? { locality: { ...node.locality } } : {}),
      user_agent_name: options.userAgentName,
      user_agent_version: options.userAgentVersion,
      client_features: [...CLIENT_FEATURES],
    };
    this.#connections = options.bootstrap.xdsServers.map(() => undefined);
  }

  /** The Node sent on the wire (with user agent and client features). */
  get node(): WireNode {
    return this.#node;
  }

  /** Index in `xds_servers` of the server in use, if one is healthy. */
  get activeServer(): number | undefined {
    return this.#active;
  }

  /** Connects to the primary server. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#connect(0);
  }

  /**
   * Watches one resource. A cached value is delivered on a later microtask, never synchronously.
   * Returns the function that cancels the watch; the last cancel unsubscribes the name.
   */
  watch<T>(type: XdsResourceType<T>, name: string, watcher: ResourceWatcher<T>): () => void {
    const w = watcher as ResourceWatcher<unknown>;
    let state = this.#types.get(type.typeUrl);
    if (!state) this.#types.set(type.typeUrl, (state = { type: type as XdsResourceType<unknown>, entries: new Map(), generation: 0 }));
    let entry = state.entries.get(name);
    if (!entry) {
      entry = {
        name,
        watchers: new Set(),
        value: undefined,
        raw: undefined,
        version: '',
        status: 'requested',
        lastUpdated: undefined,
        error: undefined,
        timer: undefined,
      };
      state.entries.set(name, entry);
      state.generation++;
      this.#scheduleFlush();
    } else {
      const e = entry;
      queueMicrotask(() => {
        if (!e.watchers.has(w)) return;
        if (e.value !== undefined) w.onResource(e.value);
        else if (e.status === 'doesNotExist') w.onDoesNotExist();
        else if (e.status === 'nacked' && e.error) w.onError(this.#nackError(state!.type, e.name, e.error.message));
      });
    }
    entry.watchers.add(w);
    const e = entry;
    const s = state;
    return () => {
      if (!e.watchers.delete(w) || e.watchers.size > 0) return;
      if (s.entries.get(e.name) !== e) return;
      if (e.timer !== undefined) this.#options.clock.clearTimeout(e.timer);
      s.entries.delete(e.name);
      s.generation++;
      this.#scheduleFlush();
    };
  }

  /** Status of one resource, undefined when not watched. */
  status(typeUrl: string, name: string): ResourceStatus | undefined {
    return this.#types.get(typeUrl)?.entries.get(name)?.status;
  }

  /** Every watched resource (CSDS-like). */
  dump(): ResourceDump[] {
    const out: ResourceDump[] = [];
    for (const [typeUrl, state] of this.#types) {
      for (const e of state.entries.values()) {
        out.push({
          typeUrl,
          type: state.type.kind,
          name: e.name,
          version: e.version,
          status: e.status,
          ...(e.lastUpdated !== undefined ? { lastUpdated: new Date(e.lastUpdated).toISOString() } : {}),
          ...(e.error ? { error: { message: e.error.message, version: e.error.version, at: new Date(e.error.at).toISOString() } } : {}),
        });
      }
    }
    return out;
  }

  /** Closes every stream and channel, cancels every timer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let i = 0; i < this.#connections.length; i++) this.#disconnect(i);
    for (const state of this.#types.values()) for (const e of state.entries.values()) this.#stopTimer(e);
  }

  // ---- connections ----

  #connect(index: number): void {
    if (this.#closed || this.#connections[index]) return;
    const server = this.#options.bootstrap.xdsServers[index]!;
    const conn = new ServerConnection(
      index,
      server,
      new ExponentialBackoff(this.#options.backoff, this.#options.random),
      `${this.#options.userAgentName}/${this.#options.userAgentVersion}`,
    );
    this.#connections[index] = conn;
    this.#openStream(conn);
  }

  #disconnect(index: number): void {
    const conn = this.#connections[index];
    if (!conn) return;
    this.#connections[index] = undefined;
    conn.closed = true;
    if (conn.retryTimer !== undefined) this.#options.clock.clearTimeout(conn.retryTimer);
    const call = conn.call;
    conn.call = undefined;
    call?.cancel();
    conn.channel.close();
    if (this.#active === index) this.#active = undefined;
  }

  #openStream(conn: ServerConnection): void {
    conn.retryTimer = undefined;
    conn.streamTypes = new Map();
    conn.sentNode = false;
    conn.responded = false;
    conn.connected = false;
    const call = conn.channel.open(this.#options.delta);
    conn.call = call;
    call.on('data', (msg: object) => {
      if (conn.call !== call || this.#closed) return;
      try {
        if (this.#options.delta) this.#onDeltaResponse(conn, msg as WireDeltaDiscoveryResponse);
        else this.#onResponse(conn, msg as WireDiscoveryResponse);
      } catch (e) {
        // A bug in processing must not kill the stream silently.
        this.emit('error', new MeshError(ErrorCode.SOURCE_FAILURE, `xDS response processing failed: ${(e as Error).message}`, { cause: e }));
      }
    });
    call.on('error', (err: Error) => this.#onStreamEnd(conn, call, err));
    call.on('end', () => this.#onStreamEnd(conn, call, undefined));
    conn.channel.whenReady(() => {
      if (conn.call === call) this.#onConnected(conn);
    });
    for (const [typeUrl, state] of this.#types) {
      if (state.entries.size > 0) this.#sendInitial(conn, typeUrl, state);
    }
  }

  #onConnected(conn: ServerConnection): void {
    if (conn.connected) return;
    conn.connected = true;
    if (this.#active !== undefined && conn.index > this.#active) return;
    // A57: does-not-exist timers run only once the subscriptions are on a connected transport.
    for (const state of this.#types.values()) {
      for (const e of state.entries.values()) if (e.status === 'requested') this.#startTimer(state, e);
    }
  }

  #onStreamEnd(conn: ServerConnection, call: AdsCall, err: Error | undefined): void {
    if (conn.call !== call) return;
    conn.call = undefined;
    call.cancel();
    if (this.#closed || conn.closed) return;
    const wasActive = this.#active === conn.index;
    if (wasActive) {
      this.#active = undefined;
      for (const state of this.#types.values()) for (const e of state.entries.values()) this.#stopTimer(e);
    }
    if (conn.responded) {
      // Servers rotate streams: not an error; reconnect at once (A57). A stream that failed with
      // an error after answering is still reported, so a repeating failure (e.g. a response over
      // a size limit) is visible instead of a silent reconnect loop.
      if (err) {
        this.emit(
          'error',
          new MeshError(ErrorCode.SOURCE_FAILURE, `xDS server ${conn.server.serverUri}: stream failed after responses (${err.message}); reconnecting`, { cause: err }),
        );
      }
      conn.backoff.reset();
      this.#openStream(conn);
      return;
    }
    const detail = err ? err.message : 'stream ended before any response';
    this.emit(
      'error',
      new MeshError(ErrorCode.CONTROL_PLANE_UNAVAILABLE, `xDS server ${conn.server.serverUri}: ${detail}`, { cause: err }),
    );
    // A71: while a server is unreachable, try the next one; the cache keeps serving meanwhile.
    if (conn.index + 1 < this.#connections.length && (this.#active === undefined || this.#active > conn.index)) {
      this.#connect(conn.index + 1);
    }
    const delay = conn.backoff.next();
    conn.retryTimer = this.#options.clock.setTimeout(() => {
      if (!conn.closed && !this.#closed && conn.call === undefined) this.#openStream(conn);
    }, delay);
  }

  /** A response arrived on `conn`: decide whether it is the server to use (A71). */
  #accept(conn: ServerConnection): boolean {
    if (!conn.responded) {
      conn.responded = true;
      conn.backoff.reset();
    }
    if (!conn.connected) this.#onConnected(conn);
    if (this.#active === undefined || conn.index < this.#active) {
      this.#active = conn.index;
      // Back to a higher-priority server: drop the fallbacks.
      for (let i = conn.index + 1; i < this.#connections.length; i++) this.#disconnect(i);
      this.emit('connected', conn.index);
      return true;
    }
    if (conn.index === this.#active) return true;
    this.#disconnect(conn.index);
    return false;
  }

  // ---- requests ----

  #write(conn: ServerConnection, msg: WireDiscoveryRequest | WireDeltaDiscoveryRequest): void {
    if (!conn.call) return;
    if (!conn.sentNode) {
      msg.node = this.#node;
      conn.sentNode = true;
    }
    conn.call.write(msg);
    this.emit('request', msg, conn.index);
  }

  #sendInitial(conn: ServerConnection, typeUrl: string, state: TypeState): void {
    const names = [...state.entries.keys()];
    const st: StreamTypeState = { nonce: '', sent: new Set(names), sentGeneration: state.generation };
    conn.streamTypes.set(typeUrl, st);
    if (this.#options.delta) {
      const initial: Record<string, string> = {};
      for (const e of state.entries.values()) if (e.value !== undefined && e.version) initial[e.name] = e.version;
      this.#write(conn, { type_url: typeUrl, resource_names_subscribe: names, initial_resource_versions: initial });
    } else {
      this.#write(conn, { type_url: typeUrl, resource_names: names, version_info: conn.versions.get(typeUrl) ?? '', response_nonce: '' });
    }
    this.#afterSend(conn, state, names);
  }

  /** Starts timers for names just put on a connected stream (A57). */
  #afterSend(conn: ServerConnection, state: TypeState, names: Iterable<string>): void {
    if (!conn.connected || (this.#active !== undefined && conn.index > this.#active)) return;
    for (const name of names) {
      const e = state.entries.get(name);
      if (e && e.status === 'requested') this.#startTimer(state, e);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      if (this.#closed) return;
      for (const conn of this.#connections) if (conn?.call) this.#flush(conn);
    });
  }

  /** Sends subscription changes (never combined with a NACK: istiod ignores those, §1.11). */
  #flush(conn: ServerConnection): void {
    for (const [typeUrl, state] of this.#types) {
      const st = conn.streamTypes.get(typeUrl);
      if (!st) {
        if (state.entries.size > 0) this.#sendInitial(conn, typeUrl, state);
        continue;
      }
      if (st.sentGeneration === state.generation) continue;
      if (sameSet(st.sent, state.entries.keys())) {
        st.sentGeneration = state.generation;
        continue;
      }
      const added = [...state.entries.keys()].filter((n) => !st.sent.has(n));
      if (this.#options.delta) {
        const removed = [...st.sent].filter((n) => !state.entries.has(n));
        this.#write(conn, { type_url: typeUrl, resource_names_subscribe: added, resource_names_unsubscribe: removed });
      } else {
        this.#write(conn, {
          type_url: typeUrl,
          resource_names: [...state.entries.keys()],
          version_info: conn.versions.get(typeUrl) ?? '',
          response_nonce: st.nonce,
        });
      }
      st.sent = new Set(state.entries.keys());
      st.sentGeneration = state.generation;
      this.#afterSend(conn, state, added);
    }
  }

  // ---- timers ----

  #startTimer(state: TypeState, e: Entry): void {
    if (e.timer !== undefined || this.#closed) return;
    e.timer = this.#options.clock.setTimeout(() => {
      e.timer = undefined;
      if (state.entries.get(e.name) !== e || e.value !== undefined || e.status !== 'requested') return;
      this.#markDoesNotExist(e);
    }, this.#options.resourceTimeoutMs);
  }

  #stopTimer(e: Entry): void {
    if (e.timer === undefined) return;
    this.#options.clock.clearTimeout(e.timer);
    e.timer = undefined;
  }

  #markDoesNotExist(e: Entry): void {
    this.#stopTimer(e);
    e.value = undefined;
    e.raw = undefined;
    e.status = 'doesNotExist';
    for (const w of [...e.watchers]) w.onDoesNotExist();
  }

  #nackError(type: XdsResourceType<unknown>, name: string, message: string): MeshError {
    return new MeshError(ErrorCode.NACKED, `${type.kind} ${JSON.stringify(name)} rejected: ${message}`, { field: name });
  }

  // ---- responses ----

  /**
   * Applies decoded resources of one response (SotW or delta). Returns the per-resource error
   * messages; valid resources are used even when others are invalid (A46).
   */
  #apply(state: TypeState, version: string, items: { name?: string; version: string; any: WireAny }[]): { errors: string[]; seen: Set<string>; nameless: boolean } {
    const errors: string[] = [];
    const seen = new Set<string>();
    let nameless = false;
    const now = this.#options.clock.now();
    const kind = state.type.kind;
    for (const item of items) {
      const bytes = item.any.value ?? new Uint8Array();
      if (item.any.type_url !== state.type.typeUrl) {
        errors.push(`${kind} ${item.name ?? '(unnamed)'}: resource type ${item.any.type_url ?? '(none)'} does not match ${state.type.typeUrl}`);
        if (item.name === undefined) nameless = true;
        continue;
      }
      // Skip decoding byte-identical resends (the common case of a SotW push of another resource).
      if (item.name !== undefined) {
        const cached = state.entries.get(item.name);
        if (cached && cached.status === 'acked' && bytesEqual(cached.raw, bytes)) {
          if (seen.has(item.name)) errors.push(`${kind} ${JSON.stringify(item.name)}: duplicate resource name in one response`);
          seen.add(item.name);
          cached.version = item.version;
          continue;
        }
      }
      const decoded = state.type.decode(bytes);
      const name = item.name ?? decoded.name;
      if (name === undefined) {
        nameless = true;
        errors.push(`${kind} (unnamed): ${decoded.error?.message ?? 'no name'}`);
        continue;
      }
      if (seen.has(name)) {
        errors.push(`${kind} ${JSON.stringify(name)}: duplicate resource name in one response`);
        continue;
      }
      seen.add(name);
      const e = state.entries.get(name);
      if (decoded.error) {
        if (!e) continue; // not subscribed: ignored, even when invalid (A27)
        const message = decoded.error.message;
        errors.push(`${kind} ${JSON.stringify(name)}: ${message}`);
        e.error = { message, version, at: now };
        e.status = 'nacked';
        this.#stopTimer(e);
        if (e.value === undefined) {
          const err = this.#nackError(state.type, name, message);
          for (const w of [...e.watchers]) w.onError(err);
        }
        continue;
      }
      if (!e) continue; // not subscribed: ignored (A27)
      e.error = undefined;
      e.status = 'acked';
      e.version = item.version;
      e.lastUpdated = now;
      this.#stopTimer(e);
      const changed = !bytesEqual(e.raw, bytes) || e.value === undefined;
      e.raw = bytes;
      e.value = decoded.value;
      if (changed) for (const w of [...e.watchers]) w.onResource(decoded.value);
    }
    return { errors, seen, nameless };
  }

  #onResponse(conn: ServerConnection, res: WireDiscoveryResponse): void {
    const typeUrl = res.type_url ?? '';
    const nonce = res.nonce ?? '';
    const version = res.version_info ?? '';
    if (!this.#accept(conn)) return;
    let st = conn.streamTypes.get(typeUrl);
    if (!st) conn.streamTypes.set(typeUrl, (st = { nonce, sent: new Set(), sentGeneration: -1 }));
    st.nonce = nonce;
    const state = this.#types.get(typeUrl);
    if (!state) {
      // A type we never asked for: ACK it so the server does not wait.
      this.#write(conn, { type_url: typeUrl, version_info: version, response_nonce: nonce, resource_names: [...st.sent] });
      return;
    }
    const items = (res.resources ?? []).map((any) => {
      if (any.type_url === TypeUrl.RESOURCE) {
        const wrapped = decodeMessage<WireResource>('envoy.service.discovery.v3.Resource', any.value ?? new Uint8Array());
        return { name: wrapped.name, version, any: wrapped.resource ?? {} };
      }
      return { version, any };
    });
    const { errors, seen, nameless } = this.#apply(state, version, items);
    if (state.type.allResourcesRequiredInSotW && !nameless) {
      for (const e of state.entries.values()) {
        if (seen.has(e.name) || e.value === undefined) continue;
        if (conn.server.ignoreResourceDeletion) {
          // A53: keep serving the cached copy.
          continue;
        }
        this.#markDoesNotExist(e);
      }
    }
    if (errors.length > 0) {
      const message = errors.join('; ');
      this.#write(conn, {
        type_url: typeUrl,
        version_info: conn.versions.get(typeUrl) ?? '',
        response_nonce: nonce,
        resource_names: [...st.sent],
        error_detail: { code: INVALID_ARGUMENT, message },
      });
      this.emit('nack', new MeshError(ErrorCode.NACKED, `${state.type.kind} version ${JSON.stringify(version)} rejected: ${message}`), typeUrl);
      // A subscription change made while processing goes out separately, with the same nonce.
      this.#scheduleFlush();
      return;
    }
    conn.versions.set(typeUrl, version);
    const names = [...state.entries.keys()];
    const added = names.filter((n) => !st.sent.has(n));
    this.#write(conn, { type_url: typeUrl, version_info: version, response_nonce: nonce, resource_names: names });
    st.sent = new Set(names);
    st.sentGeneration = state.generation;
    this.#afterSend(conn, state, added);
  }

  #onDeltaResponse(conn: ServerConnection, res: WireDeltaDiscoveryResponse): void {
    const typeUrl = res.type_url ?? '';
    const nonce = res.nonce ?? '';
    if (!this.#accept(conn)) return;
    const st = conn.streamTypes.get(typeUrl);
    if (st) st.nonce = nonce;
    const state = this.#types.get(typeUrl);
    if (!state) {
      this.#write(conn, { type_url: typeUrl, response_nonce: nonce });
      return;
    }
    const items: { name?: string; version: string; any: WireAny }[] = [];
    for (const r of res.resources ?? []) {
      if (!r.resource) continue; // TTL heartbeat
      items.push({ ...(r.name ? { name: r.name } : {}), version: r.version ?? '', any: r.resource });
    }
    const { errors } = this.#apply(state, res.system_version_info ?? '', items);
    for (const name of res.removed_resources ?? []) {
      const e = state.entries.get(name);
      if (e) this.#markDoesNotExist(e);
    }
    if (errors.length > 0) {
      const message = errors.join('; ');
      this.#write(conn, { type_url: typeUrl, response_nonce: nonce, error_detail: { code: INVALID_ARGUMENT, message } });
      this.emit('nack', new MeshError(ErrorCode.NACKED, `${state.type.kind} rejected: ${message}`), typeUrl);
    } else {
      this.#write(conn, { type_url: typeUrl, response_nonce: nonce });
    }
    this.#scheduleFlush();
  }
}

/** Defaults of {@link XdsClientOptions} that have one. */
export const XDS_CLIENT_DEFAULTS = Object.freeze({
  resourceTimeoutMs: 15_000,
  clock: SYSTEM_CLOCK,
  backoff: DEFAULT_BACKOFF,
  random: Math.random,
});
