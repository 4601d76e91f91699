import type { MeshContextHeaders } from '../outbound/mesh-context';

/** Outgoing request headers with lower-case names, as the mesh interceptor forwards them. */
export type OutgoingHeaders = Record<string, string | string[]>;

function add(out: OutgoingHeaders, name: unknown, value: unknown): void {
  if (value === undefined || value === null) return;
  const key = String(name).toLowerCase();
  const v = Array.isArray(value) ? value.map(String) : String(value);
  const prev = out[key];
  if (prev === undefined) out[key] = v;
  else out[key] = ([] as string[]).concat(prev, v);
}

/**
 * Normalises every header shape undici accepts (a record, a flat `[name, value, …]` array, or an
 * iterable of pairs) to a record with lower-case names, adding the inbound request's mesh context
 * headers the request does not set itself.
 */
export function normalizeOutgoingHeaders(headers: unknown, context: MeshContextHeaders | undefined): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) add(out, headers[i], headers[i + 1]);
  } else if (headers !== null && typeof headers === 'object') {
    if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of headers as Iterable<unknown>) {
        if (Array.isArray(pair) && pair.length === 2) add(out, pair[0], pair[1]);
      }
    } else {
      for (const [name, value] of Object.entries(headers)) add(out, name, value);
    }
  }
  if (context !== undefined) {
    for (const name of Object.keys(context)) if (out[name] === undefined) out[name] = context[name]!;
  }
  return out;
}
