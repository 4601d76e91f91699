import type { MeshClient } from '../src/client/mesh-client';

/** Resolves with performance.now() at the first MeshClient `update` after which `test` holds. */
export function updated(mesh: MeshClient, test: () => boolean = () => true): Promise<number> {
  return new Promise((resolve) => {
    const onUpdate = () => {
      if (!test()) return;
      const at = performance.now();
      mesh.off('update', onUpdate);
      resolve(at);
    };
    mesh.on('update', onUpdate);
  });
}
