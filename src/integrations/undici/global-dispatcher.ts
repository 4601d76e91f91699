import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { createMeshDispatcher, type MeshDispatcherOptions } from './mesh-dispatcher';
import type { MeshPicker } from '../outbound/mesh-picker';

/**
 * Routes every request of the process's global dispatcher (Node's `fetch`, undici's `request`)
 * through the mesh, on top of the current global dispatcher. Returns `uninstall()`, which puts the
 * previous dispatcher back. Nothing is global unless you call this.
 */
export function installGlobalDispatcher(mesh: MeshPicker, options: Omit<MeshDispatcherOptions, 'base'> = {}): () => void {
  const previous = getGlobalDispatcher();
  const dispatcher = createMeshDispatcher(mesh, { ...options, base: previous });
  setGlobalDispatcher(dispatcher);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    if (getGlobalDispatcher() === dispatcher) setGlobalDispatcher(previous);
  };
}
