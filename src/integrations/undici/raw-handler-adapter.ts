import type { Duplex } from 'node:stream';
import { errors, type Dispatcher } from 'undici';
import type { RawDispatchHandler } from './single-attempt-handler';

type IncomingHeaders = Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2];

/** Parsed headers back to undici's raw form: `[name, value, …]` as latin1 buffers, one pair per value. */
function toRawHeaders(headers: IncomingHeaders | null | undefined): Buffer[] {
  const raw: Buffer[] = [];
  if (headers === null || headers === undefined) return raw;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const key = Buffer.from(name, 'latin1');
    if (Array.isArray(value)) for (const v of value) raw.push(key, Buffer.from(v, 'latin1'));
    else raw.push(key, Buffer.from(value, 'latin1'));
  }
  return raw;
}

/**
 * Presents a handler with undici's raw callbacks (`onConnect`, `onHeaders`, `onData`, …: the
 * handlers of `request()`, `stream()` and `fetch`) in the controller style a {@link MeshRequest}
 * drives. Only requests that may retry need it; the single-attempt path passes raw handlers to
 * undici as they are. undici has the same adapter (its `WrapHandler`, which `compose()` puts around
 * every handler) but does not export it.
 */
export class RawHandlerAdapter implements Dispatcher.DispatchHandler {
  readonly #raw: RawDispatchHandler;

  constructor(raw: RawDispatchHandler) {
    this.#raw = raw;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    const abort = (reason?: Error): void => controller.abort(reason ?? new errors.RequestAbortedError());
    // undici's raw onConnect takes (abort, context); its type declares only abort.
    (this.#raw.onConnect as ((abort: (reason?: Error) => void, context?: unknown) => void) | undefined)?.(abort, context);
  }

  onRequestUpgrade(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHeaders, socket: Duplex): void {
    this.#raw.onUpgrade?.(statusCode, toRawHeaders(headers), socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHeaders, statusMessage?: string): void {
    if (this.#raw.onHeaders(statusCode, toRawHeaders(headers), () => controller.resume(), statusMessage ?? '') === false) controller.pause();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#raw.onData(chunk) === false) controller.pause();
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: IncomingHeaders): void {
    // undici types raw trailers as string[]; they are latin1 buffers like the raw headers.
    this.#raw.onComplete(toRawHeaders(trailers) as unknown as string[]);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.#raw.onError(error);
  }
}
