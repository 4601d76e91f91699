import * as grpc from '@grpc/grpc-js';
import sinon from 'sinon';
import { systemClock, type Clock } from '../../../src/clock';
import { DEFAULT_RPC_TIMING, NacosRpcClient, type NacosRpcClientOptions } from '../../../src/sources/nacos/nacos-rpc-client';
import { nacosMethods, type NacosBody, type NacosPayload, type OutgoingPayload } from '../../../src/sources/nacos/payload-codec';
import { NacosServer, type NacosServerOptions } from '../../../src/testing/nacos-server';

/**
 * Server timers for protocol tests: what a test waits for is short (merge delay, retry pauses,
 * ejector sweeps), what must not fire while a real client answers is long. On a loaded machine
 * (CI runs the whole suite on 2 cores) an ack can take well over 300 ms: a short ack timeout
 * would then retry a push the client did answer, or drop a connection that did ack its
 * detection. A test that needs an ack timeout to expire (a raw peer that stays silent) sets it
 * short itself, see {@link SILENT_PEER_TIMING}, or drives a fake clock.
 */
export const FAST_SERVER_TIMING = {
  pushDelayMs: 10,
  pushAckTimeoutMs: 10_000,
  pushRetryDelayMs: 50,
  configPushAckTimeoutMs: 10_000,
  configPushRetryStepMs: 20,
  keepAliveMs: 60_000,
  ejectorIntervalMs: 50,
  detectionTimeoutMs: 10_000,
  connectResetAckTimeoutMs: 10_000,
};

/**
 * {@link FAST_SERVER_TIMING} with short naming-push and detection ack timeouts, for tests whose
 * raw peer leaves those unanswered on purpose. A test that acks one of them must tolerate the
 * retry a late ack can cause (the server retries an unacked push).
 */
export const SILENT_PEER_TIMING = { ...FAST_SERVER_TIMING, pushAckTimeoutMs: 300, detectionTimeoutMs: 200 };

/** Starts a loopback server with fast timers. */
export async function startServer(options: NacosServerOptions = {}): Promise<NacosServer> {
  const server = new NacosServer({ ...options, timing: { ...FAST_SERVER_TIMING, ...(options.timing ?? {}) } });
  await server.start();
  return server;
}

interface Emitter {
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  off(event: string, fn: (...args: unknown[]) => void): unknown;
}

/** Resolves with the arguments (typed by the caller) of the next `event` that satisfies `test`. */
export function next<A extends unknown[] = unknown[]>(target: object, event: string, test: (...args: A) => boolean = () => true): Promise<A> {
  // eventemitter3's typed on/off do not unify across event maps; the caller names the arguments.
  const emitter = target as Emitter;
  return new Promise((resolve) => {
    const fn = (...args: unknown[]) => {
      const a = args as unknown as A;
      if (!test(...a)) return;
      emitter.off(event, fn);
      resolve(a);
    };
    emitter.on(event, fn);
  });
}

/** Polls `condition` on every turn of the event loop (no timers) until it holds. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Advances a fake clock by `stepMs` per turn of the event loop until `condition` holds, so timers
 * and real loopback I/O interleave.
 */
export async function tickUntil(fake: sinon.SinonFakeTimers, condition: () => boolean, stepMs = 100, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await fake.tickAsync(stepMs);
    await new Promise((r) => setImmediate(r));
  }
}

/** A sinon clock installed on a private object: real timers (grpc-js's included) are untouched. */
export function fakeClock(start = 1_700_000_000_000): { clock: Clock; fake: sinon.SinonFakeTimers } {
  const target = { Date, Promise, setTimeout, clearTimeout, setInterval, clearInterval };
  // `global` is a sinon option its typings lack: the fake is installed on `target` only.
  const config = { now: start, global: target, toFake: ['setTimeout', 'clearTimeout', 'Date'] };
  const fake = sinon.useFakeTimers(config as unknown as Parameters<typeof sinon.useFakeTimers>[0]);
  const clock: Clock = {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    clearTimeout: (h) => fake.clearTimeout(h as never),
  };
  return { clock, fake };
}

/** Anything a client can be pointed at: a {@link NacosServer} or a {@link RawNacosServer}. */
export interface ServerLike {
  readonly serverEntry: { host: string; port: number; grpcPort: number };
}

/** A logical client for tests, with a push log. */
export function rpcClient(server: ServerLike | ServerLike[], overrides: Partial<NacosRpcClientOptions> = {}): NacosRpcClient {
  const servers = (Array.isArray(server) ? server : [server]).map((s) => s.serverEntry);
  return new NacosRpcClient({
    module: 'naming',
    servers,
    clientVersion: 'Nacos-Node-Client:test',
    clientIp: '127.0.0.1',
    clock: systemClock,
    log: () => {},
    timing: { ...DEFAULT_RPC_TIMING, requestTimeoutMs: 1000, healthCheckIntervalMs: 60_000 },
    random: () => 0,
    ...overrides,
  });
}

/**
 * A raw gRPC peer on its own transport: sends any unary payload and drives the bi-stream by
 * hand, so tests can break the protocol on purpose.
 */
export class RawPeer {
  readonly channel: grpc.Channel;
  readonly client: grpc.Client;
  stream: grpc.ClientDuplexStream<OutgoingPayload, NacosPayload> | undefined;
  readonly received: NacosPayload[] = [];

  constructor(server: NacosServer) {
    const target = `${server.host}:${server.grpcPort}`;
    const creds = grpc.credentials.createInsecure();
    this.channel = new grpc.Channel(target, creds, { 'grpc.use_local_subchannel_pool': 1 });
    this.client = new grpc.Client(target, creds, { channelOverride: this.channel });
  }

  unary(type: string, body: NacosBody, headers: Record<string, string> = {}): Promise<NacosPayload> {
    const m = nacosMethods().unary;
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, { type, headers, body }, new grpc.Metadata(), {}, (err, v) =>
        err || !v ? reject(err ?? new Error('no reply')) : resolve(v),
      ),
    );
  }

  /** Opens the bi-stream; received messages are appended to {@link RawPeer.received}. */
  openStream(): grpc.ClientDuplexStream<OutgoingPayload, NacosPayload> {
    const m = nacosMethods().bidi;
    this.stream = this.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize);
    this.stream.on('data', (p: NacosPayload) => this.received.push(p));
    this.stream.on('error', () => {});
    return this.stream;
  }

  /** ServerCheck, stream, setup (with or without abilityTable). */
  async setup(labels: Record<string, string> = { source: 'sdk', module: 'naming' }, abilityTable: Record<string, boolean> | null = {}): Promise<string> {
    const check = await this.unary('ServerCheckRequest', { headers: {}, module: 'internal' });
    const stream = this.openStream();
    stream.write({ type: 'ConnectionSetupRequest', body: { headers: {}, clientVersion: 'raw', labels, abilityTable: abilityTable ?? undefined, module: 'internal' } });
    return check.body?.['connectionId'] as string;
  }

  /** Acks a server push on the stream. */
  ack(push: NacosPayload, success = true): void {
    this.stream!.write({
      type: push.type.replace(/Request$/, 'Response'),
      body: { resultCode: success ? 200 : 500, errorCode: success ? 0 : 500, requestId: push.body?.['requestId'], success },
    });
  }

  close(): void {
    this.stream?.cancel();
    this.client.close();
    this.channel.close();
  }
}

/**
 * A raw client peer registered on `server` (ServerCheck, stream, setup), resolved once the server
 * reported the connection; it is added to `peers` so the test can close it.
 */
export async function connectPeer(
  server: NacosServer,
  peers: RawPeer[],
  labels: Record<string, string> = { source: 'sdk', module: 'naming' },
  abilityTable: Record<string, boolean> | null = {},
): Promise<RawPeer> {
  const p = new RawPeer(server);
  peers.push(p);
  const connected = next(server, 'connected');
  await p.setup(labels, abilityTable);
  await connected;
  return p;
}

/**
 * Mocha fixture: a fresh loopback {@link NacosServer} (kit timers unless `options.timing` says
 * otherwise) for each test, and raw client peers closed after it. `beforeClose` runs first (e.g.
 * to close SDK clients that still want answers).
 */
export function serverFixture(options: NacosServerOptions = {}, beforeClose?: () => Promise<void>): {
  readonly srv: NacosServer;
  readonly peers: RawPeer[];
  registered(labels?: Record<string, string>): Promise<RawPeer>;
} {
  let srv: NacosServer | undefined;
  const peers: RawPeer[] = [];
  beforeEach(async () => {
    srv = await startServer(options);
  });
  afterEach(async () => {
    await beforeClose?.();
    for (const p of peers.splice(0)) p.close();
    await srv?.close();
  });
  return {
    get srv(): NacosServer {
      if (!srv) throw new Error('serverFixture: no server outside a test');
      return srv;
    },
    peers,
    registered(labels) {
      return connectPeer(this.srv, peers, labels);
    },
  };
}

/** What {@link RawNacosServer} answers to a unary request unless its `respond` hook says otherwise. */
export function defaultRawReply(p: NacosPayload): OutgoingPayload {
  const type = p.type === 'ServerCheckRequest' ? 'ServerCheckResponse' : p.type.replace(/Request$/, 'Response');
  // Fields a future server might add must be ignored (§8 check 25).
  return {
    type,
    body: { resultCode: 200, errorCode: 0, success: true, connectionId: '1_127.0.0.1_1', supportAbilityNegotiation: true, futureField: { x: [1] } },
  };
}

/**
 * A hand-driven gRPC peer standing in for the Nacos server, for the client-side checks that need
 * to see exactly what the SDK writes or to send what a real server might: it answers unary
 * requests (`respond`, else {@link defaultRawReply}), sends SetupAck (`setupAck`, null for none),
 * records every unary request and every stream message, and pushes whatever a test asks for.
 */
export class RawNacosServer {
  readonly unary: NacosPayload[] = [];
  readonly stream: NacosPayload[] = [];
  /** Answers one unary request; undefined falls back to {@link defaultRawReply}. */
  respond: (p: NacosPayload) => OutgoingPayload | undefined = () => undefined;
  /** The SetupAckRequest body sent after each ConnectionSetupRequest, or null for none. */
  setupAck: NacosBody | null = { headers: {}, abilityTable: { supportPersistentInstanceByGrpc: true }, module: 'internal' };
  /** Bi-streams opened so far. */
  streams = 0;
  #server = new grpc.Server();
  #call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload> | undefined;
  port = 0;

  async start(): Promise<void> {
    const m = nacosMethods();
    const unary = m.unary as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    const bidi = m.bidi as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    this.#server.addService({ request: unary }, {
      request: (call: grpc.ServerUnaryCall<NacosPayload, OutgoingPayload>, cb: grpc.sendUnaryData<OutgoingPayload>) => {
        this.unary.push(call.request);
        cb(null, this.respond(call.request) ?? defaultRawReply(call.request));
      },
    });
    this.#server.addService({ requestBiStream: bidi }, {
      requestBiStream: (call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>) => {
        this.#call = call;
        this.streams++;
        call.on('data', (p: NacosPayload) => {
          this.stream.push(p);
          if (p.type === 'ConnectionSetupRequest' && this.setupAck) call.write({ type: 'SetupAckRequest', body: this.setupAck });
        });
        call.on('error', () => {});
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.#server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  /** A server entry for client options. */
  get serverEntry(): { host: string; port: number; grpcPort: number } {
    return { host: '127.0.0.1', port: 8848, grpcPort: this.port };
  }

  /** Pushes a server request on the latest stream, with `headers: {}` and `module: internal` unless the body sets them. */
  push(type: string, body: NacosBody): void {
    this.send({ type, body: { headers: {}, module: 'internal', ...body } });
  }

  /** Writes exactly this payload on the latest stream. */
  send(p: OutgoingPayload): void {
    this.#call!.write(p);
  }

  /** Stream messages of one type (acks, setups). */
  received(type: string): NacosPayload[] {
    return this.stream.filter((p) => p.type === type);
  }

  /** Ends the latest stream, as a server that drops the connection. */
  endStream(): void {
    this.#call?.end();
  }

  close(): void {
    this.#server.forceShutdown();
  }
}
