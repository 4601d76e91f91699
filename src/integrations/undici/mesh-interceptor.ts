import type { Dispatcher } from 'undici';
import { MeshRouter, type DispatchTarget } from './mesh-router';
import type { MeshPicker } from '../outbound/mesh-picker';
import type { OutboundTargetOptions } from '../outbound/origin-target';

/** Options of {@link meshInterceptor}: which requests the mesh routes (`meshHosts`, `targetsOf`) and retry jitter. */
export interface MeshInterceptorOptions extends OutboundTargetOptions {
  /** Source of randomness for back-off jitter, in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * An undici interceptor that routes requests for mesh services: per request it picks an endpoint
 * for the origin's logical host (`http://reviews/…`), sends the request there keeping the original
 * `Host` header (and TLS server name), applies the route's timeout and retry policy (each retry picks
 * again) and reports each attempt's outcome and latency to the balancer. Requests to hosts the mesh
 * does not know pass through untouched.
 *
 * Requests whose route has no retries and whose handler has undici's raw-header callbacks (the
 * handlers of `request()`, `stream()` and `fetch`) take a single-attempt fast path with the same
 * semantics.
 *
 * Failures reach the handler's `onResponseError` as a `MeshError`: `MESH_ERR_NO_ENDPOINT`,
 * `MESH_ERR_OVERLOADED` (circuit breaker), `MESH_ERR_DROPPED`, `MESH_ERR_NO_ROUTE`,
 * `MESH_ERR_TIMEOUT` (route or per-try timeout).
 *
 * Use it to put the mesh into your own interceptor stack; `createMeshDispatcher` does the
 * same routing without `compose()`, whose per-handler wrapper costs a little on every request.
 *
 * @example
 * ```ts
 * const agent = new Agent().compose(meshInterceptor(mesh));
 * await request('http://reviews/api/v1', { dispatcher: agent });
 * ```
 */
export function meshInterceptor(mesh: MeshPicker, options: MeshInterceptorOptions = {}): Dispatcher.DispatcherComposeInterceptor {
  const router = new MeshRouter(mesh, options);
  return (dispatch) => {
    const next: DispatchTarget = { dispatch };
    return function meshDispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      return router.route(next, opts, handler);
    };
  };
}
