import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'eventemitter3';
import { formatAddress } from '../model/endpoint';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import type { ConfigKey, NacosInstance } from '../sources/nacos/nacos-messages';
import { failureBody, successBody } from '../sources/nacos/nacos-response';
import { nacosMethods, type NacosBody, type NacosPayload, type OutgoingPayload } from '../sources/nacos/payload-codec';
import { ConfigRegistry, type ConfigTiming, type StoredConfig } from './nacos/config-registry';
import { configHandlers } from './nacos/config-handlers';
import { NamingRegistry, type NamingPushRecord, type NamingTiming } from './nacos/naming-registry';
import { namingHandlers } from './nacos/naming-handlers';
import type { RequestHandler } from './nacos/request-handler';
import { ServerConnection, type NacosConnectionInfo } from './nacos/server-connection';
import { NacosServerException } from './nacos/server-exception';
import { TokenRegistry, type NacosServerAuthOptions } from './nacos/token-registry';

export type { NacosConnectionInfo } from './nacos/server-connection';
export type { NamingPushRecord } from './nacos/naming-registry';
export type { StoredConfig } from './nacos/config-registry';
export type { NacosServerAuthOptions } from './nacos/token-registry';

/** Every timer of the {@link NacosServer}, in ms; the defaults are the Nacos 2.5 values. */
export interface NacosServerTiming extends NamingTiming, ConfigTiming {
  /** Silence after which a connection is probed with ClientDetectionRequest (Nacos 20000). */
  readonly keepAliveMs: number;
  /** Period of the connection ejector (Nacos 3000). */
  readonly ejectorIntervalMs: number;
  /** How long a ClientDetectionRequest waits for its ack (Nacos 5000). */
  readonly detectionTimeoutMs: number;
  /** How long a ConnectResetRequest waits for its ack (Nacos 3000). */
  readonly connectResetAckTimeoutMs: number;
}

/** Nacos 2.5 defaults. */
export const NACOS_SERVER_TIMING: NacosServerTiming = Object.freeze({
  pushDelayMs: 500,
  pushAckTimeoutMs: 5000,
  pushRetryDelayMs: 1000,
  configPushAckTimeoutMs: 3000,
  configPushRetryStepMs: 2000,
  configPushMaxRetries: 50,
  keepAliveMs: 20_000,
  ejectorIntervalMs: 3000,
  detectionTimeoutMs: 5000,
  connectResetAckTimeoutMs: 3000,
});

/** Options of a {@link NacosServer}. */
export interface NacosServerOptions {
  /** Loopback address to listen on (default `127.0.0.1`; `::1` works too). */
  readonly host?: string;
  /** Main HTTP port (login endpoint). Default 0: any free port. */
  readonly port?: number;
  /**
   * SDK gRPC port. Default: `port + 1000` when `port` is set, else any free port (then clients
   * must be given it explicitly), unless {@link NacosServerOptions.useGrpcPortOffset} is set.
   */
  readonly grpcPort?: number;
  /** With port 0: pick a free HTTP port P whose P + 1000 is free too, so `host:P` works as is. */
  readonly useGrpcPortOffset?: boolean;
  /** Turns authentication on. */
  readonly auth?: NacosServerAuthOptions;
  /** Server clock (push delays, detection, token expiry). Default: the real clock. */
  readonly clock?: Clock;
  /** Timer overrides, e.g. short ones for fast tests. */
  readonly timing?: Partial<NacosServerTiming>;
}

/** An instance as a foreign (Java/Dubbo/Spring Cloud) app registers it, for {@link NacosServer.registerInstance}. */
export interface AdminInstance {
  readonly serviceName: string;
  /** Default `DEFAULT_GROUP`. */
  readonly groupName?: string;
  /** Default `public`. */
  readonly namespace?: string;
  readonly ip: string;
  readonly port: number;
  /** Default 1. */
  readonly weight?: number;
  /** Default true. */
  readonly healthy?: boolean;
  /** Default true. */
  readonly enabled?: boolean;
  /** Default `DEFAULT`. */
  readonly clusterName?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Names a service for the admin API; group defaults to `DEFAULT_GROUP`, namespace to `public`. */
export interface ServiceSelector {
  readonly serviceName: string;
  readonly groupName?: string;
  readonly namespace?: string;
}

/** A config for the admin API; group defaults to `DEFAULT_GROUP`, tenant to the default namespace. */
export interface AdminConfig {
  readonly dataId: string;
  readonly group?: string;
  readonly tenant?: string;
  readonly content: string;
  /** `text`, `yaml`, `json`, `properties`, … */
  readonly type?: string;
}

/** Events of a {@link NacosServer}, for tests that wait instead of sleeping. */
export interface NacosServerEvents {
  /** A ConnectionSetupRequest registered a connection. */
  connected: (info: NacosConnectionInfo) => void;
  /** A connection was unregistered (stream closed, ejected, dropped). */
  disconnected: (connectionId: string, reason: string) => void;
  /** A unary request was handled (type, connection id or undefined, headers). */
  request: (type: string, connectionId: string | undefined, headers: Readonly<Record<string, string>>) => void;
  /** A service's instance set changed. */
  serviceChanged: (namespace: string, groupName: string, serviceName: string) => void;
  /** A naming push finished (acked or not). */
  push: (record: NamingPushRecord) => void;
  /** A config change notification finished (acked or not). */
  configNotify: (connectionId: string, key: ConfigKey, acked: boolean) => void;
  /** A ClientDetectionRequest finished. */
  detection: (connectionId: string, acked: boolean) => void;
}

/** The login paths of Nacos 2.5 (`UserController` maps `/v1/auth` and `/v1/auth/users`) and the 3.x one. */
const LOGIN_PATH = /^\/nacos\/(?:v1\/auth(?:\/users)?|v3\/auth\/user)\/login$/;

const SERVER_ABILITIES = Object.freeze({ supportPersistentInstanceByGrpc: true });

function lowerCaseHeaders(...sources: Array<unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const src of sources) {
    if (!src || typeof src !== 'object') continue;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) if (typeof v === 'string') out.set(k.toLowerCase(), v);
  }
  return out;
}

/**
 * A Nacos-2.x-compatible server on loopback, for tests, examples and local development: the SDK
 * gRPC protocol (connection lifecycle, naming with connection-bound ephemeral instances and acked
 * pushes, config with md5 listens and notifications, tokens) plus the HTTP login endpoint, and an
 * admin API to play foreign apps and inject faults. Not a production registry.
 */
export class NacosServer extends EventEmitter<NacosServerEvents> {
  readonly #host: string;
  readonly #clock: Clock;
  readonly #timing: NacosServerTiming;
  readonly #tokens: TokenRegistry | undefined;
  readonly #naming: NamingRegistry;
  readonly #config: ConfigRegistry;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #byPeer = new Map<string, ServerConnection>();
  readonly #connections = new Map<string, ServerConnection>();
  readonly #options: NacosServerOptions;
  #grpc: grpc.Server | undefined;
  #http: HttpServer | undefined;
  #port: number;
  #grpcPort: number;
  #running = false;
  #starting = false;
  #ejector: TimerHandle | undefined;
  readonly #pushes: NamingPushRecord[] = [];

  constructor(options: NacosServerOptions = {}) {
    super();
    this.#options = options;
    this.#host = options.host ?? '127.0.0.1';
    this.#clock = options.clock ?? systemClock;
    this.#timing = Object.freeze({ ...NACOS_SERVER_TIMING, ...(options.timing ?? {}) });
    this.#port = options.port ?? 0;
    this.#grpcPort = options.grpcPort ?? (this.#port ? this.#port + 1000 : 0);
    this.#tokens = options.auth ? new TokenRegistry(options.auth, this.#clock) : undefined;
    this.#naming = new NamingRegistry(this.#clock, this.#timing, {
      connection: (id) => this.#connections.get(id),
      onPush: (r) => {
        this.#pushes.push(r);
        this.emit('push', r);
      },
      onChange: (ns, g, s) => this.emit('serviceChanged', ns, g, s),
    });
    this.#config = new ConfigRegistry(this.#clock, this.#timing, {
      connection: (id) => this.#connections.get(id),
      dropConnection: (id, reason) => {
        const c = this.#connections.get(id);
        if (c) this.#unregister(c, reason);
      },
      onNotify: (id, key, acked) => this.emit('configNotify', id, key, acked),
    });
    this.#handlers.set('HealthCheckRequest', { responseType: 'HealthCheckResponse', secured: false, handle: () => successBody() });
    for (const [k, v] of namingHandlers(this.#naming)) this.#handlers.set(k, v);
    for (const [k, v] of configHandlers(this.#config)) this.#handlers.set(k, v);
  }

  /** Loopback address the server listens on. */
  get host(): string {
    return this.#host;
  }
  /** Main HTTP port (0 before the first start). */
  get port(): number {
    return this.#port;
  }
  /** SDK gRPC port (0 before the first start). */
  get grpcPort(): number {
    return this.#grpcPort;
  }
  /** A server entry for `NacosSourceOptions.servers`, with the gRPC port explicit. */
  get serverEntry(): { host: string; port: number; grpcPort: number } {
    return { host: this.#host, port: this.#port, grpcPort: this.#grpcPort };
  }
  /** `host:port` of the main port; clients add 1000 for gRPC, so this works only when `grpcPort = port + 1000`. */
  get address(): string {
    return formatAddress(this.#host, this.#port);
  }
  /** Whether the server is listening. */
  get running(): boolean {
    return this.#running;
  }

  /** Listens (HTTP and gRPC). After {@link NacosServer.stop}, listens again on the same ports. */
  async start(): Promise<void> {
    if (this.#running) return;
    if (this.#port === 0 && this.#options.useGrpcPortOffset) await this.#bindWithOffset();
    else {
      this.#http = await this.#listenHttp(this.#port);
      this.#port = (this.#http.address() as AddressInfo).port;
      if (this.#grpcPort === 0 && this.#options.grpcPort === undefined && this.#options.port) this.#grpcPort = this.#port + 1000;
      this.#grpcPort = await this.#bindGrpc(this.#grpcPort);
    }
    this.#running = true;
    this.#scheduleEjector();
  }

  async #bindWithOffset(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const http = await this.#listenHttp(0);
      const port = (http.address() as AddressInfo).port;
      if (port + 1000 > 65535) {
        await new Promise((r) => http.close(r));
        continue;
      }
      try {
        this.#grpcPort = await this.#bindGrpc(port + 1000);
        this.#http = http;
        this.#port = port;
        return;
      } catch {
        await new Promise((r) => http.close(r));
      }
    }
    throw new Error('NacosServer: found no free port pair P, P+1000');
  }

  #listenHttp(port: number): Promise<HttpServer> {
    const server = createServer((req, res) => void this.#onHttp(req, res));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.#host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  #bindGrpc(port: number): Promise<number> {
    const server = new grpc.Server({ 'grpc.max_receive_message_length': 10 * 1024 * 1024 });
    const m = nacosMethods();
    const unary = m.unary as grpc.MethodDefinition<OutgoingPayload, NacosPayload> as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    const bidi = m.bidi as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    server.addService({ request: unary }, {
      request: (call: grpc.ServerUnaryCall<NacosPayload, OutgoingPayload>, cb: grpc.sendUnaryData<OutgoingPayload>) =>
        void this.#onUnary(call.getPeer(), call.request).then((reply) => cb(null, reply)),
    });
    server.addService({ requestBiStream: bidi }, {
      requestBiStream: (call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>) => this.#onStream(call),
    });
    return new Promise((resolve, reject) => {
      server.bindAsync(formatAddress(this.#host, port), grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) {
          server.forceShutdown();
          reject(err);
          return;
        }
        this.#grpc = server;
        resolve(bound);
      });
    });
  }

  #transport(peer: string): ServerConnection {
    let conn = this.#byPeer.get(peer);
    if (!conn) {
      conn = new ServerConnection(peer, this.#clock);
      this.#byPeer.set(peer, conn);
    }
    return conn;
  }

  /** The acceptor order of nacos-protocol §9.10. */
  async #onUnary(peer: string, p: NacosPayload): Promise<OutgoingPayload> {
    const error = (code: number, message: string): OutgoingPayload => ({ type: 'ErrorResponse', body: failureBody(code, message) });
    if (this.#starting) return error(300, 'Server is starting,please try later.');
    if (p.type === 'ServerCheckRequest') {
      const conn = this.#transport(peer);
      return { type: 'ServerCheckResponse', body: successBody({ connectionId: conn.connectionId, supportAbilityNegotiation: true }) };
    }
    const handler = this.#handlers.get(p.type);
    if (!handler) return error(302, 'RequestHandler Not Found');
    const conn = this.#byPeer.get(peer);
    if (!conn?.registered) return error(301, 'Connection is unregistered.');
    if (p.body === null) return error(502, `Invalid request body: ${p.malformed ?? ''}`);
    conn.lastActive = this.#clock.now();
    // Body headers first, Metadata.headers on top, looked up case-insensitively (§9.3).
    const headers = lowerCaseHeaders(p.body['headers'], p.headers);
    this.emit('request', p.type, conn.connectionId, Object.fromEntries(headers));
    try {
      if (handler.secured && this.#tokens) this.#tokens.check(headers.get('accesstoken'));
      const body = await handler.handle({ conn, body: p.body, header: (name) => headers.get(name.toLowerCase()) });
      return { type: handler.responseType, body };
    } catch (err) {
      if (err instanceof NacosServerException) {
        if (err.inResponseType) return { type: handler.responseType, body: failureBody(err.code, err.message) };
        return { type: 'ErrorResponse', body: failureBody(err.code, err.message, { resultCode: err.code }) };
      }
      return error(500, (err as Error).message);
    }
  }

  #onStream(call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>): void {
    const conn = this.#transport(call.getPeer());
    call.on('data', (p: NacosPayload) => {
      if (p.body === null) return;
      if (p.type === 'ConnectionSetupRequest') this.#onSetup(conn, call, p);
      else if (p.type.endsWith('Response')) conn.onStreamResponse(p);
      // Any other request on the stream is ignored: neither executed nor answered (§2.1).
    });
    const gone = (reason: string) => () => this.#unregister(conn, reason);
    call.on('end', gone('stream ended by the client'));
    call.on('cancelled', gone('stream cancelled'));
    call.on('error', gone('stream failed'));
    call.on('close', gone('stream closed'));
  }

  #onSetup(conn: ServerConnection, call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>, p: NacosPayload): void {
    if (conn.info) return;
    const body = p.body!;
    const labels: Record<string, string> = {};
    if (body['labels'] && typeof body['labels'] === 'object') {
      for (const [k, v] of Object.entries(body['labels'] as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
    }
    if (this.#starting && labels['source'] === 'sdk') {
      call.end(); // rejected without a message (§2.1)
      return;
    }
    const table = body['abilityTable'];
    const info: NacosConnectionInfo = Object.freeze({
      connectionId: conn.connectionId,
      peer: conn.peer,
      clientIp: p.clientIp,
      clientVersion: typeof body['clientVersion'] === 'string' ? body['clientVersion'] : '',
      labels: Object.freeze(labels),
      tenant: typeof body['tenant'] === 'string' ? body['tenant'] : undefined,
      abilityTable: table && typeof table === 'object' ? Object.freeze({ ...(table as Record<string, boolean>) }) : null,
    });
    conn.register(info, call);
    conn.lastActive = this.#clock.now();
    this.#connections.set(conn.connectionId, conn);
    this.emit('connected', info);
    if (info.abilityTable !== null) {
      conn.send({ type: 'SetupAckRequest', body: { headers: {}, abilityTable: { ...SERVER_ABILITIES }, module: 'internal' } });
    }
  }

  #unregister(conn: ServerConnection, reason: string, endStream = true): void {
    if (endStream && this.#byPeer.get(conn.peer) === conn) this.#byPeer.delete(conn.peer);
    if (!this.#connections.has(conn.connectionId)) {
      conn.remove(endStream);
      return;
    }
    this.#connections.delete(conn.connectionId);
    conn.remove(endStream);
    this.#naming.removeConnection(conn.connectionId);
    this.#config.removeConnection(conn.connectionId);
    this.emit('disconnected', conn.connectionId, reason);
  }

  #scheduleEjector(): void {
    this.#ejector = this.#clock.setTimeout(() => {
      if (!this.#running) return;
      this.#eject();
      this.#scheduleEjector();
    }, this.#timing.ejectorIntervalMs);
  }

  readonly #probing = new Set<string>();

  /** §2.4: probe silent connections with ClientDetectionRequest; drop those that do not ack. */
  #eject(): void {
    const now = this.#clock.now();
    for (const conn of this.#connections.values()) {
      if (now - conn.lastActive < this.#timing.keepAliveMs || this.#probing.has(conn.connectionId)) continue;
      this.#probing.add(conn.connectionId);
      void conn.push('ClientDetectionRequest', { module: 'internal' }, this.#timing.detectionTimeoutMs).then((outcome) => {
        this.#probing.delete(conn.connectionId);
        this.emit('detection', conn.connectionId, outcome.acked);
        if (!outcome.acked) this.#unregister(conn, 'client detection failed');
      });
    }
  }

  async #onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'POST' || !LOGIN_PATH.test(url.pathname)) {
      send(404, 'not found');
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const username = url.searchParams.get('username') ?? form.get('username') ?? '';
    const password = form.get('password') ?? url.searchParams.get('password') ?? '';
    if (!this.#tokens) {
      // Auth off: real servers still answer login, with a token nobody checks.
      send(200, { accessToken: '', tokenTtl: 18_000, globalAdmin: true, username });
      return;
    }
    const result = this.#tokens.login(username, password);
    if (!result) {
      send(403, 'unknown user!');
      return;
    }
    res.setHeader('authorization', `Bearer ${result.accessToken}`);
    send(200, { accessToken: result.accessToken, tokenTtl: result.tokenTtl, globalAdmin: true, username: result.username });
  }

  // ───────────────────────────── admin API ─────────────────────────────

  /**
   * Registers an instance as a foreign app would (e.g. a Java/Dubbo provider on its own
   * connection). Replaces an earlier admin instance with the same ip, port and cluster. It lives
   * until {@link NacosServer.deregisterInstance}, independent of SDK connections.
   */
  registerInstance(instance: AdminInstance): void {
    const { namespace, group, service } = this.#ref(instance);
    const clusterName = instance.clusterName ?? 'DEFAULT';
    // Edited in place (the registry's own list): registering n instances one by one stays O(n²)
    // in comparisons only, without copying the list each time.
    const list = this.#naming.published(namespace, group, service, 'admin');
    for (let at = list.length - 1; at >= 0; at--) {
      const i = list[at]!;
      if (i.ip === instance.ip && i.port === instance.port && i.clusterName === clusterName) list.splice(at, 1);
    }
    const init: Partial<NacosInstance> & { ip: string; port: number } = {
      ip: instance.ip,
      port: instance.port,
      clusterName,
      metadata: { ...(instance.metadata ?? {}) },
      ...(instance.weight === undefined ? {} : { weight: instance.weight }),
      ...(instance.healthy === undefined ? {} : { healthy: instance.healthy }),
      ...(instance.enabled === undefined ? {} : { enabled: instance.enabled }),
    };
    list.push(NamingRegistry.normalise(init, group, service, true));
    this.#naming.publish(namespace, group, service, 'admin', list, true);
  }

  /** Removes an admin-registered instance (by ip and port). */
  deregisterInstance(instance: ServiceSelector & { ip: string; port: number }): void {
    const { namespace, group, service } = this.#ref(instance);
    const list = this.#naming.published(namespace, group, service, 'admin');
    for (let at = list.length - 1; at >= 0; at--) {
      const i = list[at]!;
      if (i.ip === instance.ip && i.port === instance.port) list.splice(at, 1);
    }
    this.#naming.publish(namespace, group, service, 'admin', list, true);
  }

  /** Every instance of a service (disabled ones included), whoever registered it. */
  instances(selector: ServiceSelector): NacosInstance[] {
    const { namespace, group, service } = this.#ref(selector);
    return this.#naming.instances(namespace, group, service);
  }

  /** Connection ids subscribed to a service. */
  subscribers(selector: ServiceSelector): string[] {
    const { namespace, group, service } = this.#ref(selector);
    return this.#naming.subscribers(namespace, group, service);
  }

  /** Every naming push made so far, oldest first. */
  get pushes(): readonly NamingPushRecord[] {
    return this.#pushes;
  }

  /** Registered connections. */
  connections(): NacosConnectionInfo[] {
    return [...this.#connections.values()].map((c) => c.info!).filter(Boolean);
  }

  /** Publishes a config (as the console or a Java app would) and notifies listeners. */
  publishConfig(config: AdminConfig): void {
    this.#config.publish(config.dataId, config.group ?? 'DEFAULT_GROUP', config.tenant, config.content, config.type);
  }

  /** Removes a config and notifies listeners. */
  removeConfig(key: { dataId: string; group?: string; tenant?: string }): void {
    this.#config.remove(key.dataId, key.group ?? 'DEFAULT_GROUP', key.tenant);
  }

  /** A stored config, or undefined. */
  getConfig(key: { dataId: string; group?: string; tenant?: string }): StoredConfig | undefined {
    return this.#config.get(key.dataId, key.group ?? 'DEFAULT_GROUP', key.tenant);
  }

  /** Connection ids listening to a config key (tenant as the clients sent it). */
  configListeners(key: { dataId: string; group?: string; tenant?: string }): string[] {
    return this.#config.listeners(key.dataId, key.group ?? 'DEFAULT_GROUP', key.tenant ?? '');
  }

  /**
   * Sends ConnectResetRequest to every SDK connection (§2.6), optionally suggesting a server;
   * resolves with the number of acks.
   */
  async resetConnections(target?: { serverIp: string; serverPort: number }): Promise<number> {
    const body: NacosBody = { module: 'internal' };
    if (target) {
      body['serverIp'] = target.serverIp;
      body['serverPort'] = String(target.serverPort);
    }
    const sdk = [...this.#connections.values()].filter((c) => c.info?.labels['source'] === 'sdk');
    const outcomes = await Promise.all(
      sdk.map((c) => c.push('ConnectResetRequest', { ...body, connectionId: c.connectionId }, this.#timing.connectResetAckTimeoutMs)),
    );
    return outcomes.filter((o) => o.acked).length;
  }

  /** Unregisters one connection as the ejector would (instances removed, stream ended). */
  dropConnection(connectionId: string): void {
    const c = this.#connections.get(connectionId);
    if (c) this.#unregister(c, 'dropped by the admin API');
  }

  /**
   * Unregisters a connection but leaves its transport and stream open, as the real server does
   * when it expels a connection whose stream is already gone (§9.7): the client's next request
   * gets errorCode 301.
   */
  forgetConnection(connectionId: string): void {
    const c = this.#connections.get(connectionId);
    if (c) this.#unregister(c, 'forgotten by the admin API', false);
  }

  /** Kills every client transport (TCP reset) and listens again on the same gRPC port. */
  async dropAllConnections(): Promise<void> {
    if (!this.#running) return;
    this.#grpc?.forceShutdown();
    for (const c of [...this.#byPeer.values()]) this.#unregister(c, 'all connections dropped');
    this.#grpcPort = await this.#bindGrpc(this.#grpcPort);
  }

  /** While true, requests get errorCode 300 ("Server is starting") and SDK setups are refused. */
  setStarting(starting: boolean): void {
    this.#starting = starting;
  }

  /** Invalidates every access token (clients get 403 and must log in again). */
  revokeTokens(): void {
    this.#tokens?.revokeAll();
  }

  /** Successful logins so far. */
  get logins(): number {
    return this.#tokens?.logins ?? 0;
  }

  /**
   * Stops listening and drops every connection (their ephemeral instances go). Configs and
   * admin/persistent instances are kept, as a restarted Nacos keeps its database.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#clock.clearTimeout(this.#ejector);
    this.#grpc?.forceShutdown();
    this.#grpc = undefined;
    for (const c of [...this.#byPeer.values()]) this.#unregister(c, 'server stopped');
    const http = this.#http;
    this.#http = undefined;
    if (http) {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  }

  /** Stops and cancels every timer. */
  async close(): Promise<void> {
    await this.stop();
    this.#naming.close();
    this.#config.close();
  }

  #ref(s: ServiceSelector): { namespace: string; group: string; service: string } {
    return { namespace: s.namespace ?? 'public', group: s.groupName ?? 'DEFAULT_GROUP', service: s.serviceName };
  }
}
