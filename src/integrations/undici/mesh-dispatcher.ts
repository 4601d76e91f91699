import { Agent, type Dispatcher } from 'undici';
import { meshInterceptor, type MeshInterceptorOptions } from './mesh-interceptor';
import type { MeshPicker } from '../outbound/mesh-picker';

/** Options of {@link createMeshDispatcher}. */
export interface MeshDispatcherOptions extends MeshInterceptorOptions {
  /**
   * The dispatcher that carries the requests (connection pools, TLS options, other interceptors).
   * Default: a new undici `Agent`, closed with the returned dispatcher.
   */
  base?: Dispatcher;
}

/**
 * A ready undici dispatcher that routes mesh hosts through `mesh` (see {@link meshInterceptor}).
 * Use it as `dispatcher` with undici's `request`/`fetch` or Node's built-in `fetch`.
 *
 * @example
 * ```ts
 * const dispatcher = createMeshDispatcher(mesh);
 * const res = await fetch('http://reviews/api/v1', { dispatcher });
 * ```
 */
export function createMeshDispatcher(mesh: MeshPicker, options: MeshDispatcherOptions = {}): Dispatcher {
  const { base, ...interceptorOptions } = options;
  return (base ?? new Agent()).compose(meshInterceptor(mesh, interceptorOptions));
}
