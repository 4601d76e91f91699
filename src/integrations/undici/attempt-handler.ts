import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { PickSuccess } from '../../client/pick-result';

type IncomingHeaders = Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2];

/** Receives the callbacks of the current attempt of a logical request. */
export interface AttemptOwner {
  attemptStarted(attempt: AttemptHandler, controller: Dispatcher.DispatchController, context: unknown): void;
  attemptUpgraded(attempt: AttemptHandler, statusCode: number, headers: IncomingHeaders, socket: Duplex): void;
  attemptHeaders(attempt: AttemptHandler, statusCode: number, headers: IncomingHeaders, statusMessage: string | undefined): void;
  attemptData(attempt: AttemptHandler, chunk: Buffer): void;
  attemptEnded(attempt: AttemptHandler, trailers: IncomingHeaders): void;
  attemptFailed(attempt: AttemptHandler, error: Error): void;
}

/**
 * The undici handler of one attempt (first try or a retry) to one picked endpoint. It owns the
 * pick's `done()`, and once abandoned (timeout, downstream abort) it aborts its connection as soon
 * as it has one and swallows whatever undici still reports.
 */
export class AttemptHandler implements Dispatcher.DispatchHandler {
  /** The pick this attempt uses. */
  readonly pick: PickSuccess;
  /** Set when undici has put the request on a connection. */
  controller: Dispatcher.DispatchController | undefined;
  /** HTTP status once response headers arrived, else 0. */
  status = 0;
  readonly #owner: AttemptOwner;
  readonly #startedAt = performance.now();
  #abandoned: Error | undefined;

  constructor(owner: AttemptOwner, pick: PickSuccess) {
    this.#owner = owner;
    this.pick = pick;
  }

  /** Whether undici put the request on a connection (errors after that are resets). */
  get connected(): boolean {
    return this.controller !== undefined;
  }

  /** Reports the attempt's outcome to the balancer (once; later reports are ignored). */
  report(ok: boolean): void {
    this.pick.done({ ok, status: this.status || undefined, latencyMs: performance.now() - this.#startedAt });
  }

  /** Gives the attempt up: reports a failure and aborts its connection now or when it gets one. */
  abandon(reason: Error): void {
    if (this.#abandoned !== undefined) return;
    this.#abandoned = reason;
    this.report(false);
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.controller = controller;
    if (this.#abandoned !== undefined) controller.abort(this.#abandoned);
    else this.#owner.attemptStarted(this, controller, context);
  }

  onRequestUpgrade(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHeaders, socket: Duplex): void {
    this.status = statusCode;
    if (this.#abandoned === undefined) this.#owner.attemptUpgraded(this, statusCode, headers, socket);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHeaders, statusMessage?: string): void {
    this.status = statusCode;
    if (this.#abandoned === undefined) this.#owner.attemptHeaders(this, statusCode, headers, statusMessage);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#abandoned === undefined) this.#owner.attemptData(this, chunk);
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: IncomingHeaders): void {
    if (this.#abandoned === undefined) this.#owner.attemptEnded(this, trailers);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#abandoned === undefined) this.#owner.attemptFailed(this, error);
  }
}
