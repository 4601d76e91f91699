import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { PickSuccess } from '../../client/pick-result';
import { ErrorCode, MeshError } from '../../errors';

/** undici's handler callbacks in the form `request()`, `stream()` and Node's `fetch` implement. */
export type RawDispatchHandler = Required<Pick<Dispatcher.DispatchHandler, 'onHeaders' | 'onData' | 'onComplete' | 'onError'>> &
  Pick<Dispatcher.DispatchHandler, 'onConnect' | 'onUpgrade' | 'onResponseStarted' | 'onBodySent'>;

/** Whether `handler` has undici's raw-header callbacks (request(), fetch, stream(), pipeline()). */
export function isRawDispatchHandler(handler: Dispatcher.DispatchHandler): handler is Dispatcher.DispatchHandler & RawDispatchHandler {
  return typeof handler.onHeaders === 'function' && typeof handler.onData === 'function' && typeof handler.onComplete === 'function' && typeof handler.onError === 'function';
}

/**
 * The fast path of the mesh interceptor: a request whose route has no retries, for a downstream
 * handler with undici's raw-header callbacks. One attempt, callbacks and raw headers passed
 * through as they are (undici's parse-and-re-encode between handler styles, a large share of the
 * per-request cost, is skipped); it only records the status, applies the route timeout and
 * reports the outcome and latency to the balancer once. Requests that may retry go through
 * `MeshRequest`.
 */
export class SingleAttemptHandler implements RawDispatchHandler {
  readonly #downstream: RawDispatchHandler;
  readonly #pick: PickSuccess;
  readonly #startedAt = performance.now();
  #status = 0;
  #timer: NodeJS.Timeout | undefined;
  #abort: ((reason?: Error) => void) | undefined;
  /** Set once the downstream got its final callback (the timeout may fire before a connection). */
  #failedEarly: Error | undefined;
  #reported = false;

  constructor(downstream: RawDispatchHandler, pick: PickSuccess, target: string) {
    this.#downstream = downstream;
    this.#pick = pick;
    const timeoutMs = pick.policy.timeoutMs;
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.#timer = setTimeout(() => this.#onTimeout(target, timeoutMs), timeoutMs);
    }
  }

  #report(ok: boolean): void {
    if (this.#reported) return;
    this.#reported = true;
    clearTimeout(this.#timer);
    this.#pick.done({ ok, status: this.#status || undefined, latencyMs: performance.now() - this.#startedAt });
  }

  #onTimeout(target: string, timeoutMs: number): void {
    const error = new MeshError(ErrorCode.TIMEOUT, `${target}: no complete response within the route timeout of ${timeoutMs} ms`);
    if (this.#abort !== undefined) {
      this.#abort(error); // undici answers with onError(error)
      return;
    }
    // Still queued for a connection: fail the downstream now, abort when the connection comes.
    this.#failedEarly = error;
    this.#report(false);
    this.#downstream.onError(error);
  }

  onConnect(abort: (reason?: Error) => void, context?: unknown): void {
    this.#abort = abort;
    if (this.#failedEarly !== undefined) abort(this.#failedEarly);
    // undici's legacy onConnect takes (abort, context); its type declares only abort.
    else (this.#downstream.onConnect as ((abort: (reason?: Error) => void, context?: unknown) => void) | undefined)?.(abort, context);
  }

  onResponseStarted(): void {
    if (this.#failedEarly === undefined) this.#downstream.onResponseStarted?.();
  }

  onBodySent(chunkSize: number, totalBytesSent: number): void {
    if (this.#failedEarly === undefined) this.#downstream.onBodySent?.(chunkSize, totalBytesSent);
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.#failedEarly !== undefined) return false;
    this.#status = statusCode;
    return this.#downstream.onHeaders(statusCode, headers, resume, statusText);
  }

  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: Duplex): void {
    this.#status = statusCode;
    this.#report(true);
    if (this.#failedEarly === undefined) this.#downstream.onUpgrade?.(statusCode, headers, socket);
  }

  onData(chunk: Buffer): boolean {
    return this.#failedEarly === undefined ? this.#downstream.onData(chunk) : false;
  }

  onComplete(trailers: string[] | null): void {
    if (this.#failedEarly !== undefined) return;
    this.#report(this.#status < 500);
    this.#downstream.onComplete(trailers);
  }

  onError(error: Error): void {
    if (this.#failedEarly !== undefined) return;
    this.#report(false);
    this.#downstream.onError(error);
  }
}
