import type { Dispatcher } from 'undici';
import type { OutgoingHeaders } from './request-headers';

/** Dispatch options as the mesh sends them: undici reads `servername`, which its type does not list. */
export type AttemptOptions = Dispatcher.DispatchOptions & { servername?: string };

/**
 * A shallow copy of a request's dispatch options, made once per mesh request before its fields
 * are read.
 *
 * Copied with `Object.assign` onto a fresh object rather than written `{ ...opts, headers, … }`:
 * on Node 20's V8 an object spread followed by keys the source lacks misses its inline cache and,
 * once optimised, builds a new hidden class per call, several µs per request. undici's `request()`
 * itself builds its options that way, so every options object it hands over has a shape of its own
 * and each field read from it is a megamorphic lookup; the copy has one shared shape. Same
 * semantics as a spread: own enumerable string and symbol keys.
 */
export function copyOptions(opts: Dispatcher.DispatchOptions): AttemptOptions {
  return Object.assign({}, opts);
}

/** Points copied options at one endpoint: its origin, the normalised headers, the TLS server name if any. */
export function aimOptions(options: AttemptOptions, origin: string, headers: OutgoingHeaders, servername: string | undefined): AttemptOptions {
  options.origin = origin;
  options.headers = headers;
  if (servername !== undefined) options.servername = servername;
  return options;
}
