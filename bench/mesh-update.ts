import type { MeshClient } from '../src/client/mesh-client';

/** Resolves with performance.now() taken when the first MeshClient `update` after which `test` holds was emitted. */
export function updated(mesh: MeshClient, test: () => boolean = () => true): Promise<number> {
  return new Promise((resolve) => {
    const onUpdate = () => {
      // The time of the update itself: `test` may be slow (a pick that walks 10,000 routes) and is
      // not part of applying the update.
      const at = performance.now();
      if (!test()) return;
      mesh.off('update', onUpdate);
      resolve(at);
    };
    mesh.on('update', onUpdate);
  });
}
