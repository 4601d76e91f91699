import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InvalidConfigError } from '../../errors';
import { runWithMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';

/** The routing headers carried by default. */
export const DEFAULT_CONTEXT_HEADERS: readonly string[] = Object.freeze(['x-canary', 'baggage', 'x-request-id']);

/** Options of {@link meshContext}. */
export interface MeshContextOptions {
  /**
   * Inbound headers carried to outbound mesh requests (case-insensitive). Default
   * `['x-canary', 'baggage', 'x-request-id']`. Only these are copied: an allow-list, so credentials
   * such as `authorization` or `cookie` never leak to other services by accident.
   */
  headers?: readonly string[];
  /** A tenant header to carry as well (for example `x-tenant`). Default: none. */
  tenantHeader?: string;
}

/** The middleware, with the header allow-list it uses hung on it. */
export interface MeshContextMiddleware extends RequestHandler {
  /** Lower-case names of the headers carried. */
  readonly headers: readonly string[];
}

/**
 * Express middleware that keeps the inbound request's routing headers (an allow-list) in
 * AsyncLocalStorage while the request is handled, so requests made through the mesh (undici
 * dispatcher, `fetch`, http agent, grpc interceptor) carry them: a canary flag set at the edge
 * follows the call chain.
 *
 * @example
 * ```ts
 * app.use(meshContext({ tenantHeader: 'x-tenant' }));
 * ```
 */
export function meshContext(options: MeshContextOptions = {}): MeshContextMiddleware {
  const names = [...(options.headers ?? DEFAULT_CONTEXT_HEADERS)];
  if (options.tenantHeader !== undefined) names.push(options.tenantHeader);
  names.forEach((name, i) => {
    if (typeof name !== 'string' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) {
      throw new InvalidConfigError(options.tenantHeader === name ? 'tenantHeader' : `headers[${i}]`, `must be an HTTP header name, got ${JSON.stringify(name)}`);
    }
  });
  const headers = Object.freeze([...new Set(names.map((n) => n.toLowerCase()))]);
  const middleware = (req: Request, _res: Response, next: NextFunction): void => {
    let carried: Record<string, string> | undefined;
    for (const name of headers) {
      const value = req.headers[name];
      if (value === undefined) continue;
      (carried ??= {})[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    if (carried === undefined) next();
    else runWithMeshContext(carried as MeshContextHeaders, next);
  };
  return Object.assign(middleware, { headers });
}
