import { isIP } from 'node:net';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ErrorCode, MeshError } from '../../errors';
import type { HeaderBag } from '../../routing/request-context';
import { currentMeshContext } from '../outbound/mesh-context';
import { pickError, pickFirstKnown, type MeshPicker } from '../outbound/mesh-picker';
import type { OriginTargets } from '../outbound/origin-target';

/** The connection options Node's http client hands to `Agent.addRequest`. */
export interface AgentRequestOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  servername?: string;
  [option: string]: unknown;
}

/** Calls the base agent's `addRequest` with rewritten options. */
export type AddRequest = (req: ClientRequest, options: AgentRequestOptions) => void;

function headerBag(headers: OutgoingHttpHeaders): HeaderBag {
  const bag: Record<string, string | string[]> = {};
  for (const name of Object.keys(headers)) {
    const v = headers[name];
    if (v !== undefined) bag[name] = Array.isArray(v) ? v : String(v);
  }
  return bag;
}

/**
 * Routes one node:http request: picks an endpoint for the request's logical host and connects to
 * it (the Host header Node already set is kept, and so is the TLS server name), adds the mesh
 * context headers, applies the route timeout and reports the outcome. Requests for hosts the mesh
 * does not know go to `addRequest` unchanged. Routing sees the headers given to `http.request()`,
 * not those set later with `setHeader`. No retries: node:http streams request bodies.
 */
export function routeAgentRequest(
  mesh: MeshPicker,
  origins: OriginTargets,
  protocol: 'http:' | 'https:',
  req: ClientRequest,
  options: AgentRequestOptions,
  addRequest: AddRequest,
): void {
  const host = options.host ?? options.hostname ?? 'localhost';
  const origin = origins.get(`${protocol}//${host.includes(':') ? `[${host}]` : host}:${options.port ?? ''}`);
  if (origin === undefined || origin.targets.length === 0) return addRequest(req, options);
  const context = currentMeshContext();
  if (context !== undefined) {
    for (const name of Object.keys(context)) if (!req.hasHeader(name)) req.setHeader(name, context[name]!);
  }
  const ctx = { path: req.path, method: req.method, headers: headerBag(req.getHeaders()), authority: origin.host };
  const picked = pickFirstKnown(mesh, origin.targets, ctx);
  if (picked === undefined) return addRequest(req, options);
  const { result, target } = picked;
  if (!result.ok) {
    // How an agent fails a request it cannot give a socket (Node's own agent does this too).
    (req as unknown as { onSocket(socket: null, error: Error): void }).onSocket(null, pickError(result));
    return;
  }
  const startedAt = performance.now();
  let status = 0;
  const finish = (ok: boolean): void => {
    clearTimeout(timer);
    result.done({ ok, status: status || undefined, latencyMs: performance.now() - startedAt });
  };
  const timeoutMs = result.policy.timeoutMs;
  const timer =
    timeoutMs !== undefined && timeoutMs > 0
      ? setTimeout(() => {
          req.destroy(new MeshError(ErrorCode.TIMEOUT, `${target}: no complete response within the route timeout of ${timeoutMs} ms`));
        }, timeoutMs)
      : undefined;
  req.once('response', (res: IncomingMessage) => {
    status = res.statusCode ?? 0;
    res.once('end', () => finish(status < 500));
    res.once('close', () => finish(false));
  });
  req.once('error', () => finish(false));
  req.once('close', () => {
    if (status === 0) finish(false);
  });
  addRequest(req, {
    ...options,
    host: result.endpoint.host,
    hostname: result.endpoint.host,
    port: result.endpoint.port,
    // SNI carries the logical host; RFC 6066 forbids IP literals there (Node warns, DEP0123).
    ...(protocol === 'https:' && isIP(origin.hostname) === 0 ? { servername: origin.hostname } : {}),
  });
}
