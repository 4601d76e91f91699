import type * as grpc from '@grpc/grpc-js';
import type { Clock, TimerHandle } from '../../clock';
import { responseBase } from '../../sources/nacos/nacos-response';
import type { NacosBody, NacosPayload, OutgoingPayload } from '../../sources/nacos/payload-codec';

/** What the server knows of one client connection (nacos-protocol §2.1). */
export interface NacosConnectionInfo {
  /** `<epochMillis>_<remoteIp>_<remotePort>`. */
  readonly connectionId: string;
  /** The TCP peer, `ip:port`. */
  readonly peer: string;
  /** Metadata.clientIp of the setup request. */
  readonly clientIp: string;
  readonly clientVersion: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly tenant: string | undefined;
  /** Null when the client sent none (then no SetupAck was sent). */
  readonly abilityTable: Readonly<Record<string, boolean>> | null;
}

/** The outcome of one push: the client's ack, or a failure reason. */
export interface PushOutcome {
  readonly acked: boolean;
  readonly requestId: string;
  /** The ack's body, when one arrived. */
  readonly response?: NacosBody;
  readonly reason?: string;
}

let pushIds = 0;

/** The process-wide push id counter (`PushAckIdGenerator`): "1", "2", … */
function nextPushId(): string {
  pushIds += 1;
  return String(pushIds);
}

/**
 * One client transport as the test server sees it. Unary calls and the bi-stream are tied
 * together by the TCP peer address, as the real server ties them by transport.
 */
export class ServerConnection {
  readonly connectionId: string;
  readonly peer: string;
  #info: NacosConnectionInfo | undefined;
  #stream: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload> | undefined;
  #pending = new Map<string, { resolve: (o: PushOutcome) => void; timer: TimerHandle }>();
  #clock: Clock;
  /** Last time a request or an ack arrived (ms, server clock). */
  lastActive: number;
  #removed = false;

  constructor(peer: string, clock: Clock) {
    this.peer = peer;
    this.#clock = clock;
    const ipPort = /^(?:ipv[46]:)?\[?([^\]]*?)\]?:(\d+)$/.exec(peer);
    this.connectionId = `${clock.now()}_${ipPort?.[1] ?? peer}_${ipPort?.[2] ?? '0'}`;
    this.lastActive = clock.now();
  }

  /** Setup data; undefined until ConnectionSetupRequest registered the connection. */
  get info(): NacosConnectionInfo | undefined {
    return this.#info;
  }

  /** Whether ConnectionSetupRequest registered this connection and it was not removed since. */
  get registered(): boolean {
    return this.#info !== undefined && !this.#removed;
  }

  /** Records the setup and the stream the pushes go to. */
  register(info: NacosConnectionInfo, stream: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>): void {
    this.#info = info;
    this.#stream = stream;
  }

  /** Writes a message on the stream without expecting an answer (SetupAck). */
  send(p: OutgoingPayload): void {
    if (!this.#removed) this.#stream?.write(p);
  }

  /** Sends a server request with a fresh requestId and waits for the ack up to `timeoutMs`. */
  push(type: string, body: NacosBody, timeoutMs: number): Promise<PushOutcome> {
    const requestId = nextPushId();
    if (!this.registered || !this.#stream) return Promise.resolve({ acked: false, requestId, reason: 'not registered' });
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(requestId);
        resolve({ acked: false, requestId, reason: `no ack within ${timeoutMs} ms` });
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, timer });
      this.#stream!.write({ type, body: { headers: {}, ...body, requestId } });
    });
  }

  /** Matches a response that arrived on the stream to its pending push. */
  onStreamResponse(p: NacosPayload): void {
    this.lastActive = this.#clock.now();
    const base = responseBase(p.body);
    if (base.requestId === undefined) return;
    const pending = this.#pending.get(base.requestId);
    if (!pending) return;
    this.#pending.delete(base.requestId);
    this.#clock.clearTimeout(pending.timer);
    pending.resolve({ acked: base.success, requestId: base.requestId, response: p.body ?? {} });
  }

  /**
   * Fails every pending push and, unless `endStream` is false, ends the stream (the client then
   * closes its transport).
   */
  remove(endStream = true): void {
    if (this.#removed) return;
    this.#removed = true;
    for (const [id, p] of this.#pending) {
      this.#clock.clearTimeout(p.timer);
      p.resolve({ acked: false, requestId: id, reason: 'connection removed' });
    }
    this.#pending.clear();
    if (!endStream) return;
    try {
      this.#stream?.end();
    } catch {
      /* stream already gone */
    }
  }
}
