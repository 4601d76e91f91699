import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { InvalidConfigError } from '../../errors';
import type { Endpoint } from '../../model/endpoint';
import { currentMeshContext } from '../outbound/mesh-context';
import { pickError, pickFirstKnown, type MeshPicker } from '../outbound/mesh-picker';
import { createOriginTargets, type MeshOrigin, type OriginTargets } from '../outbound/origin-target';
import { aimOptions, copyOptions } from './attempt-options';
import { MeshRequest } from './mesh-request';
import { RawHandlerAdapter } from './raw-handler-adapter';
import { normalizeOutgoingHeaders } from './request-headers';
import { isRawDispatchHandler, SingleAttemptHandler } from './single-attempt-handler';
import type { MeshInterceptorOptions } from './mesh-interceptor';

/** Where a routed request goes next: the base dispatcher, or the next dispatch of a compose chain. */
export interface DispatchTarget {
  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
}

/** Fails a request before it reached undici, in whichever handler style the handler speaks. */
function failHandler(handler: Dispatcher.DispatchHandler, error: Error): void {
  if (typeof handler.onResponseError === 'function') handler.onResponseError(null as unknown as Dispatcher.DispatchController, error);
  else if (typeof handler.onError === 'function') handler.onError(error);
  else throw error;
}

/**
 * The per-request routing shared by the mesh dispatcher and the mesh interceptor: picks an
 * endpoint for a mesh origin, rewrites the origin to it (keeping `Host` and the TLS server name)
 * and hands the request to the single-attempt fast path or to a {@link MeshRequest}. Requests for
 * origins the mesh does not know go to `next` untouched.
 */
export class MeshRouter {
  readonly #mesh: MeshPicker;
  readonly #origins: OriginTargets;
  readonly #random: () => number;
  // `protocol//address` per endpoint, built once per endpoint object (endpoints are immutable and
  // replaced on updates, so a WeakMap forgets them): undici's Agent keys its pools by this string,
  // and a fresh concatenation per request would be flattened and hashed again every time.
  readonly #httpOrigins = new WeakMap<Endpoint, string>();
  readonly #httpsOrigins = new WeakMap<Endpoint, string>();
  /** Per parsed origin: its TLS server name, '' for none (see #servername). */
  readonly #servernames = new WeakMap<MeshOrigin, string>();

  constructor(mesh: MeshPicker, options: MeshInterceptorOptions) {
    if (mesh === null || typeof mesh !== 'object' || typeof mesh.pick !== 'function') {
      throw new InvalidConfigError('mesh', 'must be a MeshClient');
    }
    if (options.random !== undefined && typeof options.random !== 'function') {
      throw new InvalidConfigError('random', 'must be a function returning a number in [0, 1)');
    }
    this.#origins = createOriginTargets(options);
    this.#mesh = mesh;
    this.#random = options.random ?? Math.random;
  }

  /** Routes one request; returns what `next.dispatch` returned (true when the mesh answered itself). */
  route(next: DispatchTarget, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const requested = opts.origin;
    const origin = requested === undefined ? undefined : this.#origins.get(requested);
    if (origin === undefined || origin.targets.length === 0) return next.dispatch(opts, handler);
    // Read the fields from a copy (see copyOptions); the copy is also what the attempt sends.
    const sent = copyOptions(opts);
    const headers = normalizeOutgoingHeaders(sent.headers, currentMeshContext());
    const ctx = { path: sent.path, method: sent.method, headers, authority: origin.host };
    const picked = pickFirstKnown(this.#mesh, origin.targets, ctx);
    if (picked === undefined) return next.dispatch(opts, handler);
    const { target, result } = picked;
    if (!result.ok) {
      failHandler(handler, pickError(result));
      return true;
    }
    if (headers.host === undefined) headers.host = origin.host;
    const servername = this.#servername(origin);
    const retryPolicy = result.policy.retryPolicy;
    if ((retryPolicy === undefined || retryPolicy.numRetries === 0) && isRawDispatchHandler(handler)) {
      // Fast path: one attempt, raw callbacks passed through (see SingleAttemptHandler).
      const attempt = new SingleAttemptHandler(handler, result, target);
      const endpointOrigin = this.#endpointOrigin(origin.protocol === 'https:', result.endpoint);
      try {
        return next.dispatch(aimOptions(sent, endpointOrigin, headers, servername), attempt);
      } catch (error) {
        attempt.onError(error instanceof Error ? error : new Error(String(error)));
        return true;
      }
    }
    new MeshRequest(
      {
        mesh: this.#mesh,
        target,
        ctx,
        protocol: origin.protocol,
        servername,
        opts: sent,
        headers,
        next,
        // MeshRequest speaks the controller style; raw handlers (request(), fetch) get an adapter.
        handler: typeof handler.onRequestStart === 'function' || !isRawDispatchHandler(handler) ? handler : new RawHandlerAdapter(handler),
        random: this.#random,
      },
      result,
    );
    return true;
  }

  /**
   * The TLS server name of an origin: its host name, unless an IP literal (RFC 6066 forbids those
   * in SNI). Given for http too, where it is unused, because undici otherwise derives the same name
   * from the Host header on every request (an IP-literal test per request).
   */
  #servername(origin: MeshOrigin): string | undefined {
    let name = this.#servernames.get(origin);
    if (name === undefined) {
      name = isIP(origin.hostname) === 0 ? origin.hostname : '';
      this.#servernames.set(origin, name);
    }
    return name === '' ? undefined : name;
  }

  #endpointOrigin(https: boolean, endpoint: Endpoint): string {
    const cache = https ? this.#httpsOrigins : this.#httpOrigins;
    let origin = cache.get(endpoint);
    if (origin === undefined) {
      origin = `${https ? 'https:' : 'http:'}//${endpoint.address}`;
      cache.set(endpoint, origin);
    }
    return origin;
  }
}
