import type { RequestContext } from './request-context';
import type { RoutingMode } from './routing-mode';

/**
 * The value of request header `name` (lower-case) as routing sees it, or undefined when absent:
 * - several values are joined with `,` (the only allocation, and only for multi-valued headers);
 * - names ending in `-bin` (binary gRPC metadata) are absent;
 * - HTTP mode exposes the pseudo-headers `:method`, `:path` and `:authority` (`authority`, else
 *   `ctx.authority`); gRPC mode exposes no pseudo-header and reports `content-type` as
 *   `application/grpc` when the application has not set it (gRFC A28).
 */
export function readHeader(
  ctx: RequestContext,
  authority: string | undefined,
  name: string,
  mode: RoutingMode,
): string | undefined {
  if (name.endsWith('-bin')) return undefined;
  if (name.charCodeAt(0) === 58 /* ':' */) {
    if (mode !== 'http') return undefined;
    switch (name) {
      case ':method':
        return ctx.method;
      case ':path':
        return ctx.path ?? '/';
      case ':authority':
        return authority ?? ctx.authority;
      default:
        return undefined;
    }
  }
  const raw = ctx.headers?.[name];
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) {
    if (raw.length === 1) return typeof raw[0] === 'string' ? raw[0] : undefined;
    if (raw.length > 1) return raw.join(',');
  }
  if (mode === 'grpc' && name === 'content-type') return 'application/grpc';
  return undefined;
}
