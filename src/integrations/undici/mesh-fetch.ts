import type { Dispatcher } from 'undici';
import { createMeshDispatcher, type MeshDispatcherOptions } from './mesh-dispatcher';
import type { MeshPicker } from '../outbound/mesh-picker';

/** A `fetch` bound to a mesh dispatcher; the handles hang on the function. */
export interface MeshFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The dispatcher every call uses. */
  readonly dispatcher: Dispatcher;
  /** Closes the dispatcher (waits for requests in flight). */
  close(): Promise<void>;
}

/**
 * Node's built-in `fetch` routed through the mesh: `meshFetch('http://reviews/api/v1')`. Mesh
 * failures reject like other network errors, with a `TypeError('fetch failed')` whose `cause` is
 * the `MeshError` (`cause.code` is `MESH_ERR_NO_ENDPOINT`, `MESH_ERR_TIMEOUT`, …). A `dispatcher`
 * given in `init` wins. Retries need a replayable body, which `fetch` never passes (it streams
 * every body), so only body-less requests (GET, HEAD, DELETE without body) are retried.
 */
export function createMeshFetch(mesh: MeshPicker, options: MeshDispatcherOptions = {}): MeshFetch {
  const dispatcher = createMeshDispatcher(mesh, options);
  const meshFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    // Node's RequestInit types `dispatcher` with its bundled undici's types; the npm one is compatible.
    fetch(input, { dispatcher, ...init } as RequestInit);
  return Object.assign(meshFetch, {
    dispatcher,
    close: () => dispatcher.close(),
  });
}
