import type { Dispatcher } from 'undici';
import type { OutgoingHeaders } from './request-headers';

/**
 * The dispatch options of one attempt: the request's own, sent to `origin` (the picked endpoint)
 * with the normalised headers and, when given, the TLS server name.
 *
 * Copied with `Object.assign` onto a fresh object rather than written `{ ...opts, headers, … }`:
 * on Node 20's V8 an object spread followed by keys the source lacks misses its inline cache and
 * builds hidden classes on every call, several µs per request (and undici's own `request()` hands
 * over options that are themselves such a spread). `Object.assign` keeps spread's semantics (own
 * enumerable string and symbol keys) on the cached path.
 */
export function attemptOptions(
  opts: Dispatcher.DispatchOptions,
  origin: string,
  headers: OutgoingHeaders,
  servername: string | undefined,
): Dispatcher.DispatchOptions {
  // undici reads `servername` from the dispatch options; its DispatchOptions type does not list it.
  const out: Dispatcher.DispatchOptions & { servername?: string } = Object.assign({}, opts);
  out.origin = origin;
  out.headers = headers;
  if (servername !== undefined) out.servername = servername;
  return out;
}
