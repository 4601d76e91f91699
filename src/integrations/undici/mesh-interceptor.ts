import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { InvalidConfigError } from '../../errors';
import { currentMeshContext } from '../outbound/mesh-context';
import { pickError, pickFirstKnown, type MeshPicker } from '../outbound/mesh-picker';
import { MeshRequest } from './mesh-request';
import { createOriginTargets, type OutboundTargetOptions } from '../outbound/origin-target';
import { normalizeOutgoingHeaders } from './request-headers';
import { isRawDispatchHandler, SingleAttemptHandler } from './single-attempt-handler';

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
 * @example
 * ```ts
 * const agent = new Agent().compose(meshInterceptor(mesh));
 * await request('http://reviews/api/v1', { dispatcher: agent });
 * ```
 */
export function meshInterceptor(mesh: MeshPicker, options: MeshInterceptorOptions = {}): Dispatcher.DispatcherComposeInterceptor {
  if (mesh === null || typeof mesh !== 'object' || typeof mesh.pick !== 'function') {
    throw new InvalidConfigError('mesh', 'must be a MeshClient');
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new InvalidConfigError('random', 'must be a function returning a number in [0, 1)');
  }
  const origins = createOriginTargets(options);
  const random = options.random ?? Math.random;

  return (dispatch) =>
    function meshDispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      const origin = opts.origin === undefined ? undefined : origins.get(opts.origin);
      if (origin === undefined || origin.targets.length === 0) return dispatch(opts, handler);
      const headers = normalizeOutgoingHeaders(opts.headers, currentMeshContext());
      const ctx = { path: opts.path, method: opts.method, headers, authority: origin.host };
      const picked = pickFirstKnown(mesh, origin.targets, ctx);
      if (picked === undefined) return dispatch(opts, handler);
      const { target, result } = picked;
      if (!result.ok) {
        handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, pickError(result));
        return true;
      }
      if (headers.host === undefined) headers.host = origin.host;
      // SNI carries the logical host; RFC 6066 forbids IP literals there.
      const servername = origin.protocol === 'https:' && isIP(origin.hostname) === 0 ? origin.hostname : undefined;
      const retryPolicy = result.policy.retryPolicy;
      if ((retryPolicy === undefined || retryPolicy.numRetries === 0) && isRawDispatchHandler(handler)) {
        // Fast path: one attempt, raw callbacks passed through (see SingleAttemptHandler).
        const attempt = new SingleAttemptHandler(handler, result, target);
        const endpointOrigin = `${origin.protocol}//${result.endpoint.address}`;
        const attemptOpts = servername === undefined ? { ...opts, headers, origin: endpointOrigin } : { ...opts, headers, origin: endpointOrigin, servername };
        try {
          return dispatch(attemptOpts, attempt);
        } catch (error) {
          attempt.onError(error instanceof Error ? error : new Error(String(error)));
          return true;
        }
      }
      new MeshRequest(
        {
          mesh,
          target,
          ctx,
          protocol: origin.protocol,
          servername,
          opts: { ...opts, headers },
          dispatch,
          handler,
          random,
        },
        result,
      );
      return true;
    };
}
