import { EventEmitter } from 'eventemitter3';
import { formatAddress } from '../../model/endpoint';
import type { Clock, TimerHandle } from '../../clock';
import { sleep } from './sleep';
import { NacosConnection, NacosTransportError, type ServerRequestHandler } from './nacos-connection';
import type { NacosLogger } from './nacos-log';
import { NacosErrorCode, type ConnectionLabels } from './nacos-messages';
import { responseBase, successBody } from './nacos-response';
import type { NacosBody, NacosPayload } from './payload-codec';
import type { NacosServerAddress } from './server-address';

/** Supplies request headers for authentication and reacts to 403 answers. */
export interface NacosAuthHeaders {
  /** Headers to add to every business request (e.g. `accessToken`); empty without auth. */
  headers(): Promise<Record<string, string>>;
  /** A request was answered with errorCode 403: log in again before the retry. */
  onForbidden(): Promise<void>;
}

/** Timing of a Nacos connection (requests, heartbeat, setup); every value in milliseconds. */
export interface NacosRpcTiming {
  /** Unary request timeout (Java default 3000). */
  readonly requestTimeoutMs: number;
  /** Idle time after which a HealthCheckRequest is sent (Java 5000). */
  readonly healthCheckIntervalMs: number;
  /** SetupAckRequest wait (Java 5000). */
  readonly setupAckTimeoutMs: number;
  /** Extra attempts of a failed request (Java 3). */
  readonly retryTimes: number;
}

/** Defaults from the Java client (nacos-protocol §1.4, §2.3, §2.7). */
export const DEFAULT_RPC_TIMING: NacosRpcTiming = Object.freeze({
  requestTimeoutMs: 3000,
  healthCheckIntervalMs: 5000,
  setupAckTimeoutMs: 5000,
  retryTimes: 3,
});

/** Options of a {@link NacosRpcClient}. */
export interface NacosRpcClientOptions {
  /** `naming` or `config`: sent as the `module` label and used in logs. */
  readonly module: string;
  readonly servers: readonly NacosServerAddress[];
  /** Labels besides `source=sdk` and `module`. */
  readonly labels?: ConnectionLabels;
  readonly tenant?: string;
  readonly clientVersion: string;
  readonly clientIp: string;
  readonly clock: Clock;
  readonly log: NacosLogger;
  readonly timing: NacosRpcTiming;
  readonly auth?: NacosAuthHeaders;
  /** Picks the first server index; default random as the Java naming client. */
  readonly random?: () => number;
}

/** Events of a {@link NacosRpcClient}. */
export interface NacosRpcClientEvents {
  /** A new connection is running; state must be redone on it. */
  connected: (connectionId: string, server: NacosServerAddress) => void;
  /** The current connection was lost or replaced. */
  disconnected: (reason: string) => void;
}

/** A request got no usable answer after every retry. */
export class NacosRequestError extends Error {
  constructor(message: string, readonly errorCode?: number) {
    super(message);
    this.name = 'NacosRequestError';
  }
}

/** The pause of the Java reconnect loop after `retryTurns` full turns over the server list: 100 ms … 5 s. */
function reconnectPauseMs(retryTurns: number): number {
  return Math.min(retryTurns + 1, 50) * 100;
}

/** Request types answered without authentication (§4). */
const INTERNAL_TYPES = new Set(['ServerCheckRequest', 'HealthCheckRequest']);

/**
 * A long-lived logical Nacos client: holds at most one {@link NacosConnection}, heartbeats it,
 * rotates servers and backs off on failure, retries requests, honours ConnectReset and answers
 * ClientDetection (nacos-protocol §2). Listeners of `connected` redo their state.
 */
export class NacosRpcClient extends EventEmitter<NacosRpcClientEvents> {
  readonly #o: NacosRpcClientOptions;
  readonly #handlers = new Map<string, ServerRequestHandler>();
  #conn: NacosConnection | undefined;
  #index: number;
  #started = false;
  #closed = false;
  #looping = false;
  #preferred: NacosServerAddress | undefined;
  #lastActive = 0;
  #healthTimer: TimerHandle | undefined;
  #waiters: Array<() => void> = [];
  #reconnects = 0;

  constructor(options: NacosRpcClientOptions) {
    super();
    if (options.servers.length === 0) throw new Error('NacosRpcClient needs at least one server');
    this.#o = options;
    this.#index = Math.floor((options.random ?? Math.random)() * options.servers.length) % options.servers.length;
    this.onServerRequest('ClientDetectionRequest', () => successBody());
    this.onServerRequest('ConnectResetRequest', (p) => this.#onConnectReset(p));
  }

  /** Whether a connection is running. */
  get connected(): boolean {
    return this.#conn?.open === true;
  }

  /** The current connection id, or undefined. */
  get connectionId(): string | undefined {
    return this.#conn?.connectionId;
  }

  /** The server of the current connection, or undefined. */
  get currentServer(): NacosServerAddress | undefined {
    return this.#conn?.server;
  }

  /** Registers the handler of one server push type (`NotifySubscriberRequest`, …). */
  onServerRequest(type: string, handler: ServerRequestHandler): void {
    this.#handlers.set(type, handler);
  }

  /** Starts connecting in the background. Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#reconnect();
    this.#scheduleHealthCheck();
  }

  /** Resolves once a connection is running (or the client is closed). */
  whenConnected(): Promise<void> {
    if (this.connected || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Sends a request with the Java retry policy (§2.7): up to `retryTimes + 1` attempts; waits for
   * a connection when there is none; a 301 answer triggers a reconnect; a 403 triggers a re-login.
   * Resolves with the server's answer (which may be a failure response); rejects only when no
   * answer could be obtained.
   */
  async request(type: string, body: NacosBody, extraHeaders: Record<string, string> = {}): Promise<NacosPayload> {
    const timing = this.#o.timing;
    let lastError = 'not connected';
    let reloggedIn = false;
    for (let attempt = 0; attempt <= timing.retryTimes && !this.#closed; attempt++) {
      const conn = this.#conn;
      if (!conn?.open) {
        await this.#waitConnected(timing.requestTimeoutMs);
        if (!this.#conn?.open) continue;
        attempt--; // waiting for the connection is not an attempt
        continue;
      }
      try {
        const auth = this.#o.auth && !INTERNAL_TYPES.has(type) ? await this.#o.auth.headers() : {};
        const res = await conn.request(type, body, { ...extraHeaders, ...auth }, timing.requestTimeoutMs);
        const base = responseBase(res.body);
        if (res.type === 'ErrorResponse' && base.errorCode === NacosErrorCode.UN_REGISTER) {
          lastError = 'connection is unregistered (301)';
          this.#dropConnection(conn, 'server answered 301 (connection unregistered)');
          continue;
        }
        this.#lastActive = this.#o.clock.now();
        if (base.errorCode === NacosErrorCode.NO_RIGHT && this.#o.auth && !reloggedIn) {
          reloggedIn = true;
          await this.#o.auth.onForbidden();
          attempt--;
          continue;
        }
        return res;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    if (this.#closed) throw new NacosRequestError(`${type}: client closed`);
    throw new NacosRequestError(`${type} failed after ${timing.retryTimes + 1} attempts: ${lastError}`);
  }

  async #waitConnected(ms: number): Promise<void> {
    if (this.connected) return;
    let timer: TimerHandle | undefined;
    await Promise.race([
      this.whenConnected(),
      new Promise<void>((resolve) => (timer = this.#o.clock.setTimeout(resolve, ms))),
    ]);
    this.#o.clock.clearTimeout(timer);
  }

  #onConnectReset(p: NacosPayload): NacosBody {
    const ip = typeof p.body?.['serverIp'] === 'string' ? (p.body['serverIp'] as string) : '';
    const conn = this.#conn;
    // Only a server that is in the configured list is honoured, with the list's ports (§2.6).
    const suggested = ip ? this.#o.servers.find((s) => s.host === ip) : undefined;
    this.#o.log('info', `${this.#o.module}: ConnectReset from the server${ip ? ` towards ${ip}` : ''}`);
    // Reply first; the reconnect runs after the ack has been written.
    this.#o.clock.setTimeout(() => {
      if (this.#closed || this.#conn !== conn) return;
      void this.#reconnect(suggested ?? this.#nextServer());
    }, 0);
    return successBody();
  }

  #nextServer(): NacosServerAddress {
    this.#index = (this.#index + 1) % this.#o.servers.length;
    return this.#o.servers[this.#index]!;
  }

  /**
   * The reconnect loop of the Java `RpcClient` (nacos-protocol §2.7, checked against
   * alibaba/nacos 2.5.1): at start-up the first `retryTimes + 1` attempts run back to back; then
   * each failure counts, every full turn over the server list (counted from the second failure
   * on) adds a turn, and the loop pauses `min(turns + 1, 50) × 100 ms` before the next server:
   * 100, 100, 200, 200, 300 … ms with two servers, 100, 200, 300 … ms with one, at most 5 s. Only
   * one loop runs; a preferred server (ConnectReset) is tried once, before the rotation goes on.
   */
  async #reconnect(preferred?: NacosServerAddress): Promise<void> {
    if (preferred) this.#preferred = preferred;
    if (this.#looping || this.#closed) return;
    this.#looping = true;
    const startup = !this.#conn && this.#reconnects === 0;
    // Java start(): retryTimes + 1 synchronous attempts, then the asynchronous reconnect loop.
    let backToBack = startup ? this.#o.timing.retryTimes + 1 : 0;
    let reConnectTimes = 0;
    let retryTurns = 0;
    let useFirst = startup;
    try {
      while (!this.#closed) {
        let server: NacosServerAddress;
        if (this.#preferred) {
          server = this.#preferred;
          this.#preferred = undefined;
        } else if (useFirst) {
          server = this.#o.servers[this.#index]!;
          useFirst = false;
        } else server = this.#nextServer();
        try {
          const conn = await NacosConnection.open({
            server,
            labels: { ...(this.#o.labels ?? {}), source: 'sdk', module: this.#o.module },
            ...(this.#o.tenant === undefined ? {} : { tenant: this.#o.tenant }),
            clientVersion: this.#o.clientVersion,
            clientIp: this.#o.clientIp,
            clock: this.#o.clock,
            log: this.#o.log,
            serverCheckTimeoutMs: this.#o.timing.requestTimeoutMs,
            setupAckTimeoutMs: this.#o.timing.setupAckTimeoutMs,
            onServerRequest: (push) => this.#dispatch(push),
          });
          if (this.#closed) {
            conn.close();
            return;
          }
          this.#adopt(conn);
          return;
        } catch (err) {
          this.#o.log('debug', `${this.#o.module}: connect to ${formatAddress(server.host, server.grpcPort)} failed: ${(err as Error).message}`);
          if (backToBack > 0) {
            backToBack--;
            continue;
          }
          if (reConnectTimes > 0 && reConnectTimes % this.#o.servers.length === 0) retryTurns = Math.min(retryTurns + 1, 50);
          reConnectTimes++;
          await sleep(this.#o.clock, reconnectPauseMs(retryTurns));
        }
      }
    } finally {
      this.#looping = false;
    }
  }

  #adopt(conn: NacosConnection): void {
    const old = this.#conn;
    if (old) {
      this.#conn = undefined;
      old.removeAllListeners();
      old.close();
      this.emit('disconnected', 'replaced by a new connection');
    }
    this.#conn = conn;
    this.#reconnects++;
    this.#lastActive = this.#o.clock.now();
    conn.on('closed', (reason) => this.#dropConnection(conn, reason));
    this.#o.log('info', `${this.#o.module}: connected to ${formatAddress(conn.server.host, conn.server.grpcPort)} as ${conn.connectionId}`);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    this.emit('connected', conn.connectionId, conn.server);
  }

  /** Marks the connection unhealthy: close it, tell listeners, reconnect from the next server. */
  #dropConnection(conn: NacosConnection, reason: string): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    conn.removeAllListeners();
    conn.close();
    this.#o.log('info', `${this.#o.module}: connection ${conn.connectionId} lost: ${reason}`);
    this.emit('disconnected', reason);
    if (!this.#closed) void this.#reconnect();
  }

  async #dispatch(push: NacosPayload): Promise<NacosBody | undefined> {
    this.#lastActive = this.#o.clock.now();
    const handler = this.#handlers.get(push.type);
    if (!handler) return undefined;
    return handler(push);
  }

  #scheduleHealthCheck(): void {
    if (this.#closed) return;
    this.#healthTimer = this.#o.clock.setTimeout(() => {
      void this.#healthCheck().finally(() => this.#scheduleHealthCheck());
    }, this.#o.timing.healthCheckIntervalMs);
  }

  /** §2.3: when idle for an interval, HealthCheckRequest; no success (a 301 included) ⇒ reconnect. */
  async #healthCheck(): Promise<void> {
    const conn = this.#conn;
    if (!conn?.open || this.#closed) return;
    if (this.#o.clock.now() - this.#lastActive < this.#o.timing.healthCheckIntervalMs) return;
    let lastError = '';
    for (let attempt = 0; attempt <= this.#o.timing.retryTimes; attempt++) {
      try {
        const res = await conn.request('HealthCheckRequest', { headers: {}, module: 'internal' }, {}, this.#o.timing.requestTimeoutMs);
        const base = responseBase(res.body);
        if (base.success) {
          this.#lastActive = this.#o.clock.now();
          return;
        }
        lastError = `${res.type} errorCode ${base.errorCode}`;
        break; // an answer that is not success is final
      } catch (err) {
        if (err instanceof NacosTransportError && !conn.open) break;
        lastError = (err as Error).message;
      }
    }
    this.#dropConnection(conn, `health check failed: ${lastError}`);
  }

  /** State for dumps (no secrets here). */
  dump(): Record<string, unknown> {
    const s = this.#conn?.server;
    return {
      module: this.#o.module,
      connected: this.connected,
      connectionId: this.#conn?.connectionId,
      server: s ? formatAddress(s.host, s.port) : undefined,
      reconnects: Math.max(0, this.#reconnects - 1),
    };
  }

  /** Closes the connection and stops every timer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#healthTimer);
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn) {
      conn.removeAllListeners();
      conn.close();
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
