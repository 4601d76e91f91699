import type { ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { constants } from 'node:http2';
import { EventEmitter } from 'eventemitter3';
import { frameGrpcMessage, GrpcMessageReader } from './grpc-message-reader';
import { decodeGrpcMessage, GrpcStatus, GrpcStatusError, grpcStatusOfHttp } from './grpc-status-error';

/** Events of a {@link GrpcBidiCall}. After `end` or `error` nothing more is emitted. */
export interface GrpcBidiCallEvents<Res> {
  /** One response message, decoded. */
  data: (message: Res) => void;
  /** The server ended the call with status OK. */
  end: () => void;
  /** The call failed: a non-OK status from the server, or the transport's (UNAVAILABLE, …). */
  error: (error: GrpcStatusError) => void;
}

/** How the channel tells a call that its connection is gone. */
export interface CallSessionLink {
  /** The connection failed or closed: the call ends with UNAVAILABLE unless it already ended. */
  sessionFailed(details: string, cause?: unknown): void;
  /** The channel is closing: end the call silently. */
  cancel(): void;
}

const CANCEL = constants.NGHTTP2_CANCEL;

function statusOfReset(rstCode: number): number {
  switch (rstCode) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return GrpcStatus.UNAVAILABLE;
    case constants.NGHTTP2_CANCEL:
      return GrpcStatus.CANCELLED;
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case constants.NGHTTP2_INADEQUATE_SECURITY:
      return GrpcStatus.PERMISSION_DENIED;
    default:
      return GrpcStatus.INTERNAL;
  }
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * One bidirectional-streaming gRPC call on an HTTP/2 stream (gRPC's PROTOCOL-HTTP2): requests are
 * serialised and framed as they are written; responses are cut from DATA frames, deserialised and
 * emitted in order; the status comes from the trailers (or a Trailers-Only response, or the HTTP
 * status, or the stream reset code). Exactly one of `end` / `error` ends it, and {@link cancel}
 * ends it silently.
 */
export class GrpcBidiCall<Req, Res> extends EventEmitter<GrpcBidiCallEvents<Res>> implements CallSessionLink {
  readonly #stream: ClientHttp2Stream;
  readonly #serialize: (message: Req) => Uint8Array;
  readonly #deserialize: (bytes: Buffer) => Res;
  readonly #reader = new GrpcMessageReader();
  readonly #onDone: () => void;
  #status: { code: number; details: string } | undefined;
  /** The stream's own error, kept to explain a close that carries no status. */
  #streamError: Error | undefined;
  #done = false;

  /** @param onDone runs once when the call ends, however it ends (the channel forgets it). */
  constructor(stream: ClientHttp2Stream, serialize: (message: Req) => Uint8Array, deserialize: (bytes: Buffer) => Res, onDone: () => void) {
    super();
    this.#stream = stream;
    this.#serialize = serialize;
    this.#deserialize = deserialize;
    this.#onDone = onDone;
    stream.on('response', (headers) => this.#onHeaders(headers));
    stream.on('trailers', (trailers) => this.#onTrailers(trailers));
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    // Stream errors are always followed by 'close', which settles the status; the listener keeps
    // them from becoming uncaught exceptions.
    stream.on('error', (err: Error) => (this.#streamError = err));
    // The server's half ends with its trailers ('end'); our half stays open until we close it,
    // so 'close' alone would never come for a call the server ended.
    stream.on('end', () => this.#onClose());
    stream.on('close', () => this.#onClose());
  }

  /** Sends one request message. Ignored once the call has ended. */
  write(message: Req): void {
    if (this.#done) return;
    let bytes: Uint8Array;
    try {
      bytes = this.#serialize(message);
    } catch (e) {
      this.#fail(GrpcStatus.INTERNAL, `request serialization failed: ${(e as Error).message}`, e, CANCEL);
      return;
    }
    this.#stream.write(frameGrpcMessage(bytes));
  }

  /** Ends the call from this side (RST_STREAM CANCEL). Emits nothing. Idempotent. */
  cancel(): void {
    if (this.#done) return;
    this.#finish(CANCEL);
  }

  sessionFailed(details: string, cause?: unknown): void {
    this.#fail(GrpcStatus.UNAVAILABLE, details, cause);
  }

  #onHeaders(headers: IncomingHttpHeaders): void {
    const http = Number(headers[':status']);
    const grpcStatus = headerText(headers, 'grpc-status');
    if (grpcStatus !== undefined) {
      // Trailers-Only: the status is in the headers and the stream ends.
      this.#status = { code: Number(grpcStatus), details: decodeGrpcMessage(headerText(headers, 'grpc-message')) };
      return;
    }
    if (http !== 200) {
      this.#fail(grpcStatusOfHttp(http), `received HTTP status ${http}`, undefined, CANCEL);
      return;
    }
    const type = headerText(headers, 'content-type') ?? '';
    if (!type.startsWith('application/grpc')) {
      this.#fail(GrpcStatus.UNKNOWN, `received content-type ${JSON.stringify(type)}`, undefined, CANCEL);
    }
  }

  #onTrailers(trailers: IncomingHttpHeaders): void {
    const code = headerText(trailers, 'grpc-status');
    this.#status = {
      code: code === undefined ? GrpcStatus.UNKNOWN : Number(code),
      details: code === undefined ? 'trailers without grpc-status' : decodeGrpcMessage(headerText(trailers, 'grpc-message')),
    };
  }

  #onData(chunk: Buffer): void {
    if (this.#done) return;
    try {
      this.#reader.push(chunk, (bytes) => {
        if (this.#done) return;
        let message: Res;
        try {
          message = this.#deserialize(bytes);
        } catch (e) {
          this.#fail(GrpcStatus.INTERNAL, `response deserialization failed: ${(e as Error).message}`, e, CANCEL);
          return;
        }
        this.emit('data', message);
      });
    } catch (e) {
      this.#fail(GrpcStatus.INTERNAL, (e as Error).message, e, CANCEL);
    }
  }

  #onClose(): void {
    if (this.#done) return;
    const status = this.#status;
    if (status === undefined) {
      const session = this.#stream.session;
      if (!session || session.destroyed || session.closed) {
        // The connection went away under the stream (refused, TLS failure, keepalive timeout).
        const err = this.#streamError;
        const cause = err?.cause instanceof Error ? err.cause : err;
        this.#fail(GrpcStatus.UNAVAILABLE, cause?.message ?? 'connection closed', cause);
        return;
      }
      const rst = this.#stream.rstCode ?? constants.NGHTTP2_NO_ERROR;
      const code = rst === constants.NGHTTP2_NO_ERROR ? GrpcStatus.INTERNAL : statusOfReset(rst);
      this.#fail(code, rst === constants.NGHTTP2_NO_ERROR ? 'stream closed without a status' : `stream reset with HTTP/2 code ${rst}`);
      return;
    }
    if (status.code === GrpcStatus.OK && this.#reader.pending) {
      this.#fail(GrpcStatus.INTERNAL, 'stream ended inside a message');
      return;
    }
    if (status.code !== GrpcStatus.OK) {
      this.#fail(status.code, status.details);
      return;
    }
    this.#finish();
    this.emit('end');
  }


  /**
   * Ends the call with a non-OK status. `rstCode` resets the stream (our failures); without it our
   * half of the stream ends gracefully (the server already ended the call).
   */
  #fail(code: number, details: string, cause?: unknown, rstCode?: number): void {
    if (this.#done) return;
    this.#finish(rstCode);
    this.emit('error', new GrpcStatusError(code, details, cause === undefined ? undefined : { cause }));
  }

  #finish(rstCode?: number): void {
    this.#done = true;
    this.#onDone();
    if (this.#stream.closed || this.#stream.destroyed) return;
    if (rstCode === undefined) this.#stream.end();
    else this.#stream.close(rstCode);
  }
}
