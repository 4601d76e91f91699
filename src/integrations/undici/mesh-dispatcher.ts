import type { EventEmitter } from 'node:events';
import { Agent, Dispatcher } from 'undici';
import { MeshRouter } from './mesh-router';
import type { MeshInterceptorOptions } from './mesh-interceptor';
import type { MeshPicker } from '../outbound/mesh-picker';

/** Options of {@link createMeshDispatcher}. */
export interface MeshDispatcherOptions extends MeshInterceptorOptions {
  /**
   * The dispatcher that carries the requests (connection pools, TLS options, other interceptors).
   * Default: a new undici `Agent`. Closed and destroyed with the returned dispatcher.
   */
  base?: Dispatcher;
}

/** Events of the base dispatcher that listeners on the mesh dispatcher receive. */
const FORWARDED_EVENTS: ReadonlySet<string | symbol> = new Set(['connect', 'disconnect', 'connectionError', 'drain']);

/**
 * The dispatcher {@link createMeshDispatcher} returns: routes each request (see `MeshRouter`) and
 * hands it to the base dispatcher with the caller's handler as it is. Not built with `compose()`,
 * which puts a compatibility wrapper around every handler (one more object and one more call per
 * callback and body chunk); `meshInterceptor` remains for interceptor stacks.
 */
class MeshDispatcher extends Dispatcher {
  // Not `#private`: `compose()` on this dispatcher returns a Proxy whose methods run with the
  // Proxy as `this`, and `#private` members cannot be read through a Proxy.
  private readonly base: Dispatcher;
  private readonly router: MeshRouter;
  readonly #forwarded = new Set<string | symbol>();

  constructor(base: Dispatcher, router: MeshRouter) {
    super();
    this.base = base;
    this.router = router;
    // Listeners for the base's events ('drain' after a `false` from dispatch, 'connect', …) are
    // served from the base: forward an event from the first listener on.
    // undici's types list only the dispatcher events; both are plain EventEmitters.
    const self: EventEmitter = this;
    self.on('newListener', (event: string | symbol) => {
      if (!FORWARDED_EVENTS.has(event) || this.#forwarded.has(event)) return;
      this.#forwarded.add(event);
      (base as EventEmitter).on(event, (...args: unknown[]) => self.emit(event, ...args));
    });
  }

  /** Whether the base dispatcher is closed (undici's `Agent.closed`). */
  get closed(): boolean {
    return (this.base as { closed?: boolean }).closed === true;
  }

  /** Whether the base dispatcher is destroyed (undici's `Agent.destroyed`). */
  get destroyed(): boolean {
    return (this.base as { destroyed?: boolean }).destroyed === true;
  }

  /** The base dispatcher's pool statistics (undici's `Agent.stats`), when it has them. */
  get stats(): unknown {
    return (this.base as { stats?: unknown }).stats;
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.router.route(this.base, opts, handler);
  }

  override close(callback: () => void): void;
  override close(): Promise<void>;
  override close(callback?: () => void): Promise<void> | void {
    return callback === undefined ? this.base.close() : this.base.close(callback);
  }

  override destroy(err: Error | null, callback: () => void): void;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null): Promise<void>;
  override destroy(): Promise<void>;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    if (typeof errOrCallback === 'function') return this.base.destroy(errOrCallback);
    const err = errOrCallback ?? null;
    return callback === undefined ? this.base.destroy(err) : this.base.destroy(err, callback);
  }
}

/**
 * A ready undici dispatcher that routes mesh hosts through `mesh` (the routing of
 * `meshInterceptor`, without `compose()`'s per-request wrapper) and everything else to
 * `base` untouched. Use it as `dispatcher` with undici's `request`/`fetch` or Node's built-in
 * `fetch`. `close()`/`destroy()` close the base dispatcher.
 *
 * @example
 * ```ts
 * const dispatcher = createMeshDispatcher(mesh);
 * const res = await fetch('http://reviews/api/v1', { dispatcher });
 * ```
 */
export function createMeshDispatcher(mesh: MeshPicker, options: MeshDispatcherOptions = {}): Dispatcher {
  const { base, ...routerOptions } = options;
  const router = new MeshRouter(mesh, routerOptions);
  return new MeshDispatcher(base ?? new Agent(), router);
}
