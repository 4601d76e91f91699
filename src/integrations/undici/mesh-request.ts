import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { PickSuccess } from '../../client/pick-result';
import { ErrorCode, MeshError } from '../../errors';
import type { RetryPolicy } from '../../model/route-table';
import type { RequestContext } from '../../routing/request-context';
import { pickError, type MeshPicker } from '../outbound/mesh-picker';
import { AttemptHandler, type AttemptOwner } from './attempt-handler';
import { MeshDispatchController, type ControllerOwner } from './mesh-dispatch-controller';
import { backoffMs, isRetriableHttpFailure, isRetriableHttpStatus } from '../../routing/retry-policy';
import { classifyAttemptError } from './attempt-failure';
import { aimOptions, copyOptions } from './attempt-options';
import type { OutgoingHeaders } from './request-headers';
import type { DispatchTarget } from './mesh-router';

type IncomingHeaders = Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2];

/** Everything one logical request needs. */
export interface MeshRequestInit {
  readonly mesh: MeshPicker;
  readonly target: string;
  readonly ctx: RequestContext;
  /** `http:` / `https:`. */
  readonly protocol: string;
  /** TLS server name (https only). */
  readonly servername: string | undefined;
  /** The request's options (a copy of the caller's; each attempt copies them again). */
  readonly opts: Dispatcher.DispatchOptions;
  /** Its headers, normalised, with the logical Host set. */
  readonly headers: OutgoingHeaders;
  /** Where attempts go: the base dispatcher or the rest of a compose chain. */
  readonly next: DispatchTarget;
  readonly handler: Dispatcher.DispatchHandler;
  readonly random: () => number;
}

function isReplayable(body: unknown): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

type Phase = 'attempt' | 'discarding' | 'backoff' | 'streaming' | 'finished';

/**
 * One logical request through the mesh: attempts (each with a fresh pick), the route's timeout and
 * per-try timeout, retries with back-off, and one stable controller for the downstream handler.
 * Every path ends in exactly one `onResponseEnd` or `onResponseError` downstream.
 */
export class MeshRequest implements AttemptOwner, ControllerOwner {
  readonly #init: MeshRequestInit;
  readonly #controller: MeshDispatchController;
  readonly #retryPolicy: RetryPolicy | undefined;
  readonly #replayable: boolean;
  #phase: Phase = 'attempt';
  #attempt: AttemptHandler | undefined;
  #retries = 0;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #perTryTimer: NodeJS.Timeout | undefined;
  #backoffTimer: NodeJS.Timeout | undefined;

  constructor(init: MeshRequestInit, first: PickSuccess) {
    this.#init = init;
    this.#controller = new MeshDispatchController(this);
    this.#retryPolicy = first.policy.retryPolicy;
    this.#replayable = isReplayable(init.opts.body);
    // The downstream gets its controller at once so it can abort during connects and back-offs.
    init.handler.onRequestStart?.(this.#controller, {});
    if (this.#phase === 'finished') return;
    const timeoutMs = first.policy.timeoutMs;
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.#timeoutTimer = setTimeout(() => this.#onTimeout(timeoutMs), timeoutMs);
    }
    this.#send(first);
  }

  #send(pick: PickSuccess): void {
    const attempt = new AttemptHandler(this, pick);
    this.#attempt = attempt;
    this.#phase = 'attempt';
    const perTryMs = this.#retryPolicy?.perTryTimeoutMs;
    if (perTryMs !== undefined && perTryMs > 0) {
      this.#perTryTimer = setTimeout(() => this.#onPerTryTimeout(attempt, perTryMs), perTryMs);
    }
    const { opts, protocol, headers, servername } = this.#init;
    try {
      this.#init.next.dispatch(aimOptions(copyOptions(opts), `${protocol}//${pick.endpoint.address}`, headers, servername), attempt);
    } catch (error) {
      this.attemptFailed(attempt, error instanceof Error ? error : new Error(String(error)));
    }
  }

  // ---- attempt callbacks ----

  attemptStarted(attempt: AttemptHandler, controller: Dispatcher.DispatchController): void {
    if (attempt !== this.#attempt) return;
    this.#controller.target = controller;
  }

  attemptUpgraded(attempt: AttemptHandler, statusCode: number, headers: IncomingHeaders, socket: Duplex): void {
    if (attempt !== this.#attempt || this.#phase !== 'attempt') return;
    attempt.report(true);
    this.#finish();
    this.#init.handler.onRequestUpgrade?.(this.#controller, statusCode, headers, socket);
  }

  attemptHeaders(attempt: AttemptHandler, statusCode: number, headers: IncomingHeaders, statusMessage: string | undefined): void {
    if (attempt !== this.#attempt || this.#phase !== 'attempt') return;
    if (this.#canRetry() && isRetriableHttpStatus(this.#retryPolicy!, statusCode)) {
      // Drain this response (keeping the connection) and retry when it ends.
      attempt.report(false);
      this.#phase = 'discarding';
      return;
    }
    clearTimeout(this.#perTryTimer);
    this.#phase = 'streaming';
    this.#init.handler.onResponseStart?.(this.#controller, statusCode, headers, statusMessage);
  }

  attemptData(attempt: AttemptHandler, chunk: Buffer): void {
    if (attempt !== this.#attempt || this.#phase !== 'streaming') return;
    this.#init.handler.onResponseData?.(this.#controller, chunk);
  }

  attemptEnded(attempt: AttemptHandler, trailers: IncomingHeaders): void {
    if (attempt !== this.#attempt) return;
    if (this.#phase === 'discarding') {
      this.#retry();
      return;
    }
    if (this.#phase !== 'streaming') return;
    attempt.report(attempt.status < 500);
    this.#finish();
    this.#init.handler.onResponseEnd?.(this.#controller, trailers);
  }

  attemptFailed(attempt: AttemptHandler, error: Error): void {
    if (attempt !== this.#attempt) return;
    this.#controller.target = undefined;
    attempt.report(false);
    if (this.#phase === 'discarding') this.#retry();
    else if (this.#phase === 'attempt' && this.#canRetry() && isRetriableHttpFailure(this.#retryPolicy!, classifyAttemptError(error, attempt.connected))) {
      this.#retry();
    } else this.#fail(error);
  }

  // ---- timers and aborts ----

  /** The downstream aborted: give up the current attempt and report the reason. */
  abortRequest(reason: Error): void {
    this.#attempt?.abandon(reason);
    this.#fail(reason);
  }

  #onTimeout(timeoutMs: number): void {
    const error = new MeshError(ErrorCode.TIMEOUT, `${this.#init.target}: no complete response within the route timeout of ${timeoutMs} ms`);
    this.#attempt?.abandon(error);
    this.#fail(error);
  }

  #onPerTryTimeout(attempt: AttemptHandler, perTryMs: number): void {
    if (attempt !== this.#attempt || this.#phase !== 'attempt') return;
    const error = new MeshError(ErrorCode.TIMEOUT, `${this.#init.target}: no response within the per-try timeout of ${perTryMs} ms`);
    attempt.abandon(error);
    if (this.#canRetry() && isRetriableHttpFailure(this.#retryPolicy!, 'reset')) this.#retry();
    else this.#fail(error);
  }

  // ---- retries and the end ----

  #canRetry(): boolean {
    const policy = this.#retryPolicy;
    return policy !== undefined && this.#retries < policy.numRetries && this.#replayable && !this.#controller.aborted;
  }

  #retry(): void {
    clearTimeout(this.#perTryTimer);
    this.#attempt = undefined;
    this.#phase = 'backoff';
    this.#retries += 1;
    const delay = backoffMs(this.#retries, this.#retryPolicy!, this.#init.random);
    this.#backoffTimer = setTimeout(() => {
      this.#backoffTimer = undefined;
      // Every retry picks again: the balancer may now avoid the endpoint that failed.
      const result = this.#init.mesh.pick(this.#init.target, this.#init.ctx);
      if (result.ok) this.#send(result);
      else this.#fail(pickError(result));
    }, delay);
  }

  #finish(): void {
    this.#phase = 'finished';
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#perTryTimer);
    clearTimeout(this.#backoffTimer);
  }

  #fail(error: Error): void {
    if (this.#phase === 'finished') return;
    this.#finish();
    this.#init.handler.onResponseError?.(this.#controller, error);
  }
}
