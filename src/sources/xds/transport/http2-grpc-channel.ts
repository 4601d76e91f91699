import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { GrpcBidiCall, type CallSessionLink } from './grpc-bidi-call';
import { isIpLiteral, targetAuthority, type GrpcTarget } from './grpc-target';

/** TLS material for the connection (PEM); absent fields fall back to Node's defaults. */
export interface GrpcTlsOptions {
  /** CA certificates that sign the server certificate; Node's root store when absent. */
  readonly ca?: Buffer;
  /** Client certificate chain, for mutual TLS. */
  readonly cert?: Buffer;
  /** Client private key, for mutual TLS. */
  readonly key?: Buffer;
}

/** Options of {@link Http2GrpcChannel}. */
export interface Http2GrpcChannelOptions {
  readonly target: GrpcTarget;
  /** TLS when set; plaintext HTTP/2 (h2c, prior knowledge) when absent. */
  readonly tls?: GrpcTlsOptions;
  /** The `user-agent` header of every call. */
  readonly userAgent: string;
  /** Read inactivity after which a PING is sent, ms. Default 30,000. */
  readonly keepaliveTimeMs?: number;
  /** How long to wait for the PING's answer before dropping the connection, ms. Default 10,000. */
  readonly keepaliveTimeoutMs?: number;
}

/**
 * HTTP/2 flow-control windows. The defaults (64 KiB) make a multi-megabyte SotW response stall on
 * a WINDOW_UPDATE every 64 KiB; the control plane is trusted and its responses are consumed as
 * they arrive, so larger windows only save round trips.
 */
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
const SESSION_WINDOW_BYTES = 16 * 1024 * 1024;

/** One HTTP/2 connection and the calls on it. */
interface Connection {
  readonly session: http2.ClientHttp2Session;
  readonly calls: Set<CallSessionLink>;
  lastReadAt: number;
  keepalive: NodeJS.Timeout | undefined;
  pingTimeout: NodeJS.Timeout | undefined;
}

/**
 * A gRPC client channel to one server on Node's own `node:http2`, for the long-lived ADS stream.
 *
 * Why not @grpc/grpc-js here: loading it costs 35–60 ms (half of the 100 ms cold-start budget)
 * and brings a resolver, a load-balancing stack and a subchannel pool to carry one stream to one
 * server. This channel does what that stream needs and nothing else: connect over TCP or a Unix
 * socket (Istio's `unix:///etc/istio/proxy/XDS`), plaintext or TLS with an optional client
 * certificate, open bidirectional calls, keepalive PINGs, and a fresh connection for the next
 * call after a failure or GOAWAY. Reconnect pacing is the caller's (the xDS client's backoff).
 * grpc-js stays the transport of the Nacos source and of the gRPC integration.
 */
export class Http2GrpcChannel {
  readonly #options: Http2GrpcChannelOptions;
  readonly #keepaliveTimeMs: number;
  readonly #keepaliveTimeoutMs: number;
  #conn: Connection | undefined;
  #closed = false;

  constructor(options: Http2GrpcChannelOptions) {
    this.#options = options;
    this.#keepaliveTimeMs = options.keepaliveTimeMs ?? 30_000;
    this.#keepaliveTimeoutMs = options.keepaliveTimeoutMs ?? 10_000;
  }

  /**
   * Opens a bidirectional-streaming call of `path` (`/package.Service/Method`). It starts at once;
   * if the connection cannot be made, the call ends with UNAVAILABLE.
   */
  openBidi<Req, Res>(path: string, serialize: (message: Req) => Uint8Array, deserialize: (bytes: Buffer) => Res): GrpcBidiCall<Req, Res> {
    if (this.#closed) throw new Error('channel closed');
    const conn = this.#connection();
    const stream = conn.session.request(
      {
        [http2.constants.HTTP2_HEADER_METHOD]: 'POST',
        [http2.constants.HTTP2_HEADER_PATH]: path,
        [http2.constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        [http2.constants.HTTP2_HEADER_TE]: 'trailers',
        [http2.constants.HTTP2_HEADER_USER_AGENT]: this.#options.userAgent,
      },
      { endStream: false },
    );
    const call: GrpcBidiCall<Req, Res> = new GrpcBidiCall(stream, serialize, deserialize, () => conn.calls.delete(call));
    conn.calls.add(call);
    // A response proves the connection alive: only an idle connection needs PINGs.
    call.on('data', () => (conn.lastReadAt = Date.now()));
    return call;
  }

  /**
   * Calls `callback` once the current connection is established (at once if it already is); never
   * after {@link close}. A connection that fails never calls it: the next call's connection will.
   */
  whenReady(callback: () => void): void {
    if (this.#closed) return;
    const conn = this.#connection();
    if (!conn.session.connecting) {
      callback();
      return;
    }
    conn.session.once('connect', () => {
      if (!this.#closed && this.#conn === conn) callback();
    });
  }

  /** Ends every call silently and closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    for (const call of [...conn.calls]) call.cancel();
    this.#drop(conn);
  }

  /**
   * The connection to use for a new call: the current one unless it is closing or gone. Node closes
   * a session that receives GOAWAY itself (gracefully, letting open streams finish), so `closed`
   * also covers a server going away.
   */
  #connection(): Connection {
    const cur = this.#conn;
    if (cur && !cur.session.destroyed && !cur.session.closed) return cur;
    const conn = this.#connect();
    this.#conn = conn;
    return conn;
  }

  #connect(): Connection {
    const { target, tls: tlsOptions } = this.#options;
    const scheme = tlsOptions ? 'https' : 'http';
    const authority = targetAuthority(target);
    const options: http2.SecureClientSessionOptions = {
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES },
      // A SotW response of a large mesh is several MiB; nghttp2's default 10 MiB session budget
      // would refuse new frames while one is buffered.
      maxSessionMemory: 64,
    };
    if (tlsOptions) {
      if (tlsOptions.ca) options.ca = tlsOptions.ca;
      if (tlsOptions.cert) options.cert = tlsOptions.cert;
      if (tlsOptions.key) options.key = tlsOptions.key;
      // SNI carries host names only (RFC 6066); an IP literal is verified against the IP SANs.
      if (target.kind === 'tcp' && !isIpLiteral(target.host)) options.servername = target.host;
    }
    if (target.kind === 'unix') {
      const path = target.path;
      options.createConnection = () =>
        tlsOptions
          ? tls.connect({ path, ALPNProtocols: ['h2'], ...(tlsOptions.ca ? { ca: tlsOptions.ca } : {}), ...(tlsOptions.cert ? { cert: tlsOptions.cert } : {}), ...(tlsOptions.key ? { key: tlsOptions.key } : {}) })
          : net.connect({ path });
    }
    const url = target.kind === 'unix' ? `${scheme}://localhost` : `${scheme}://${authority}`;
    const session = http2.connect(url, options);
    const conn: Connection = { session, calls: new Set(), lastReadAt: Date.now(), keepalive: undefined, pingTimeout: undefined };
    session.on('connect', () => {
      session.setLocalWindowSize(SESSION_WINDOW_BYTES);
      this.#startKeepalive(conn);
    });
    session.on('error', (err: Error) => this.#fail(conn, err.message, err));
    session.on('close', () => this.#fail(conn, 'connection closed'));
    return conn;
  }

  #startKeepalive(conn: Connection): void {
    const tick = () => {
      conn.keepalive = undefined;
      if (conn.session.destroyed) return;
      const idleMs = Date.now() - conn.lastReadAt;
      if (idleMs < this.#keepaliveTimeMs) {
        conn.keepalive = setTimeout(tick, this.#keepaliveTimeMs - idleMs).unref();
        return;
      }
      conn.pingTimeout = setTimeout(() => {
        conn.session.destroy(new Error(`keepalive PING not answered within ${this.#keepaliveTimeoutMs} ms`));
      }, this.#keepaliveTimeoutMs).unref();
      const sent = conn.session.ping((err) => {
        clearTimeout(conn.pingTimeout);
        conn.pingTimeout = undefined;
        if (err) return;
        conn.lastReadAt = Date.now();
        conn.keepalive = setTimeout(tick, this.#keepaliveTimeMs).unref();
      });
      if (!sent) clearTimeout(conn.pingTimeout);
    };
    conn.keepalive = setTimeout(tick, this.#keepaliveTimeMs).unref();
  }

  /** The connection failed or closed: its calls end with UNAVAILABLE; the next call reconnects. */
  #fail(conn: Connection, details: string, cause?: unknown): void {
    for (const call of [...conn.calls]) call.sessionFailed(details, cause);
    this.#drop(conn);
    if (this.#conn === conn) this.#conn = undefined;
  }

  #drop(conn: Connection): void {
    clearTimeout(conn.keepalive);
    clearTimeout(conn.pingTimeout);
    conn.keepalive = undefined;
    conn.pingTimeout = undefined;
    if (!conn.session.destroyed) conn.session.destroy();
  }
}
