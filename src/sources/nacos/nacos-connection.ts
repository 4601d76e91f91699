import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'eventemitter3';
import { formatAddress } from '../../model/endpoint';
import type { Clock, TimerHandle } from '../../clock';
import type { NacosLogger } from './nacos-log';
import { responseBase } from './nacos-response';
import type { ConnectionLabels } from './nacos-messages';
import { nacosMethods, type NacosBody, type NacosPayload, type OutgoingPayload } from './payload-codec';
import type { NacosServerAddress } from './server-address';

/** Handles one server→client request pushed on the bi-stream; returns the response body, or undefined for "no handler". */
export type ServerRequestHandler = (payload: NacosPayload) => NacosBody | undefined | Promise<NacosBody | undefined>;

/** Everything one connection attempt needs. */
export interface NacosConnectionOptions {
  readonly server: NacosServerAddress;
  readonly labels: ConnectionLabels;
  /** ConnectionSetupRequest.tenant; omitted when undefined. */
  readonly tenant?: string;
  readonly clientVersion: string;
  /** Sent as Metadata.clientIp. */
  readonly clientIp: string;
  readonly clock: Clock;
  readonly log: NacosLogger;
  /** ServerCheckRequest deadline (default 3000 ms). */
  readonly serverCheckTimeoutMs: number;
  /** How long to wait for SetupAckRequest (default 5000 ms). */
  readonly setupAckTimeoutMs: number;
  /** Server pushes other than SetupAck land here. */
  readonly onServerRequest: ServerRequestHandler;
}

/** Events of one {@link NacosConnection}. */
export interface NacosConnectionEvents {
  /** The bi-stream ended or failed; the connection is unusable and its channel closed. */
  closed: (reason: string) => void;
}

/** A unary request failed at the transport (no Nacos response at all). */
export class NacosTransportError extends Error {
  constructor(message: string, readonly grpcCode?: number) {
    super(message);
    this.name = 'NacosTransportError';
  }
}

/** The Java client's HTTP/2 keepalive: pings faster than the server's 5-minute permit draw GOAWAY (§1.4). */
const KEEPALIVE_MS = 6 * 60 * 1000;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * One logical Nacos connection = one HTTP/2 connection. The unary `Request/request` and the
 * `BiRequestStream/requestBiStream` calls share one grpc-js channel with a local subchannel pool,
 * so the server sees them on the same transport and no other logical connection shares it
 * (nacos-protocol §1.5). Created connected through {@link NacosConnection.open}; never reopened.
 */
export class NacosConnection extends EventEmitter<NacosConnectionEvents> {
  readonly #options: NacosConnectionOptions;
  readonly #channel: grpc.Channel;
  readonly #client: grpc.Client;
  #stream: grpc.ClientDuplexStream<OutgoingPayload, NacosPayload> | undefined;
  #closed = false;
  #connectionId = '';
  #serverAbilities: Readonly<Record<string, boolean>> = {};
  #setupAck: { resolve: () => void; timer: TimerHandle } | undefined;

  private constructor(options: NacosConnectionOptions) {
    super();
    this.#options = options;
    const target = formatAddress(options.server.host, options.server.grpcPort);
    const credentials = grpc.credentials.createInsecure();
    this.#channel = new grpc.Channel(target, credentials, {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.keepalive_time_ms': KEEPALIVE_MS,
      'grpc.keepalive_timeout_ms': 20_000,
      // Reconnection is ours (server rotation, backoff): the channel must not retry on its own.
      'grpc.enable_retries': 0,
    });
    this.#client = new grpc.Client(target, credentials, { channelOverride: this.#channel });
  }

  /** The id the server minted for this transport (from ServerCheckResponse). */
  get connectionId(): string {
    return this.#connectionId;
  }

  /** The server's abilities from SetupAckRequest (empty when the server sent none). */
  get serverAbilities(): Readonly<Record<string, boolean>> {
    return this.#serverAbilities;
  }

  /** The server this connection talks to. */
  get server(): NacosServerAddress {
    return this.#options.server;
  }

  /** True until the stream ended or {@link NacosConnection.close} was called. */
  get open(): boolean {
    return !this.#closed;
  }

  /**
   * ServerCheck → bi-stream → ConnectionSetup → SetupAck (§2.1). Rejects (and releases the
   * channel) when any step fails; the caller then tries the next server.
   */
  static async open(options: NacosConnectionOptions): Promise<NacosConnection> {
    const conn = new NacosConnection(options);
    try {
      await conn.#handshake();
      return conn;
    } catch (err) {
      conn.#shutdown('handshake failed', false);
      throw err;
    }
  }

  async #handshake(): Promise<void> {
    const o = this.#options;
    const check = await this.request('ServerCheckRequest', { headers: {}, module: 'internal' }, {}, o.serverCheckTimeoutMs);
    const base = responseBase(check.body);
    if (check.type !== 'ServerCheckResponse' || !base.success) {
      throw new NacosTransportError(`server check failed: ${check.type} errorCode ${base.errorCode} ${base.message ?? ''}`.trim());
    }
    this.#connectionId = typeof check.body?.['connectionId'] === 'string' ? (check.body['connectionId'] as string) : '';
    const negotiates = check.body?.['supportAbilityNegotiation'] === true;

    const stream = this.#client.makeBidiStreamRequest(
      nacosMethods().bidi.path,
      nacosMethods().bidi.requestSerialize,
      nacosMethods().bidi.responseDeserialize,
      new grpc.Metadata(),
    );
    this.#stream = stream;
    stream.on('data', (p: NacosPayload) => this.#onStreamMessage(p));
    stream.on('error', (err: Error) => this.#shutdown(`stream error: ${err.message}`, true));
    stream.on('end', () => this.#shutdown('stream ended by the server', true));

    const acked = negotiates ? this.#waitForSetupAck() : undefined;
    this.#write({
      type: 'ConnectionSetupRequest',
      clientIp: o.clientIp,
      body: {
        headers: {},
        clientVersion: o.clientVersion,
        tenant: o.tenant,
        labels: { ...o.labels },
        abilityTable: {},
        module: 'internal',
      },
    });
    if (acked) await acked;
    // Without negotiation the server registers the connection asynchronously (§2.1 step 5).
    else await new Promise<void>((resolve) => o.clock.setTimeout(resolve, 100));
    if (this.#closed) throw new NacosTransportError('connection closed during setup');
  }

  #waitForSetupAck(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = this.#options.clock.setTimeout(() => {
        this.#setupAck = undefined;
        reject(new NacosTransportError(`no SetupAckRequest within ${this.#options.setupAckTimeoutMs} ms`));
      }, this.#options.setupAckTimeoutMs);
      this.#setupAck = { resolve, timer };
      this.once('closed', (reason) => {
        if (!this.#setupAck) return;
        this.#options.clock.clearTimeout(this.#setupAck.timer);
        this.#setupAck = undefined;
        reject(new NacosTransportError(`connection closed before SetupAck: ${reason}`));
      });
    });
  }

  #onStreamMessage(p: NacosPayload): void {
    const log = this.#options.log;
    if (p.body === null) {
      log('warn', `ignored a malformed ${p.type || 'untyped'} message from ${this.#describe()}: ${p.malformed ?? 'unknown'}`);
      return;
    }
    if (p.type === 'SetupAckRequest') {
      const table = p.body['abilityTable'];
      if (table && typeof table === 'object') this.#serverAbilities = Object.freeze({ ...(table as Record<string, boolean>) });
      if (this.#setupAck) {
        this.#options.clock.clearTimeout(this.#setupAck.timer);
        const { resolve } = this.#setupAck;
        this.#setupAck = undefined;
        resolve();
      }
      return; // nobody answers SetupAck
    }
    if (p.type.endsWith('Response')) {
      log('debug', `ignored an unexpected ${p.type} on the stream of ${this.#describe()}`);
      return;
    }
    const requestId = typeof p.body['requestId'] === 'string' ? (p.body['requestId'] as string) : undefined;
    let result: ReturnType<ServerRequestHandler>;
    try {
      result = this.#options.onServerRequest(p);
    } catch (err) {
      this.#replyError(p.type, requestId, err);
      return;
    }
    Promise.resolve(result).then(
      (body) => {
        if (body === undefined) {
          log('debug', `no handler for server request ${p.type}; not answered`);
          return;
        }
        this.#write({ type: p.type.replace(/Request$/, 'Response'), body: { ...body, requestId } });
      },
      (err: unknown) => this.#replyError(p.type, requestId, err),
    );
  }

  /** What the Java client sends when its push handler throws (§2.5). */
  #replyError(type: string, requestId: string | undefined, err: unknown): void {
    this.#options.log('warn', `handling ${type} failed: ${(err as Error)?.message ?? String(err)}`);
    this.#write({
      type: 'ErrorResponse',
      body: { resultCode: 500, errorCode: -500, message: 'Handle server request error', requestId, success: false },
    });
  }

  #write(p: OutgoingPayload): void {
    if (this.#closed || !this.#stream) return;
    this.#stream.write({ ...p, clientIp: p.clientIp ?? this.#options.clientIp });
  }

  /** Sends one unary request on this connection's transport. Rejects only on transport failure. */
  request(type: string, body: NacosBody, headers: Record<string, string>, timeoutMs: number): Promise<NacosPayload> {
    if (this.#closed) return Promise.reject(new NacosTransportError('connection is closed'));
    const m = nacosMethods().unary;
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        { type, headers, clientIp: this.#options.clientIp, body },
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err: grpc.ServiceError | null, value?: NacosPayload) => {
          if (err || !value) reject(new NacosTransportError(`${type} to ${this.#describe()} failed: ${err?.details ?? 'no reply'}`, err?.code));
          else resolve(value);
        },
      );
    });
  }

  #describe(): string {
    return formatAddress(this.#options.server.host, this.#options.server.grpcPort);
  }

  #shutdown(reason: string, emit: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#stream?.cancel();
    } catch {
      /* already gone */
    }
    // Closing the whole channel, not only the stream: a half-open transport stays registered (§9.7).
    this.#client.close();
    this.#channel.close();
    this.#options.log('debug', `connection ${this.#connectionId || '?'} to ${this.#describe()} closed: ${reason}`);
    if (emit) this.emit('closed', reason);
  }

  /** Closes the stream and the transport. Idempotent; emits no event. */
  close(): void {
    this.#stream?.end();
    this.#shutdown('closed by the client', false);
  }
}
