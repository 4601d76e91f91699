import type { Route } from '../model/route-table';
import type { RoutingMode } from './routing-mode';

function cap(value: number | undefined): number | undefined {
  return value === undefined || !(value > 0) ? undefined : value;
}

/**
 * The timeout of a request in ms, or undefined for none (xds-reference §4.5):
 * - HTTP mode: the route's `timeoutMs` (Envoy `RouteAction.timeout`);
 * - gRPC mode: the route's `maxStreamDurationMs` (gRFC A31; `RouteAction.timeout` is not used);
 * either way capped by the application's own deadline when it has one. 0 or absent means no cap.
 * @param appTimeoutMs the deadline the application set on this call, in ms from now.
 */
export function effectiveTimeoutMs(route: Route, mode: RoutingMode, appTimeoutMs?: number): number | undefined {
  const routeCap = cap(mode === 'grpc' ? route.maxStreamDurationMs : route.timeoutMs);
  const app = cap(appTimeoutMs);
  if (routeCap === undefined) return app;
  if (app === undefined) return routeCap;
  return Math.min(app, routeCap);
}
