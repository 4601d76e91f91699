import type { ChannelOptions, experimental } from '@grpc/grpc-js';
import type { MeshClient } from '../../client/mesh-client';
import { reportResolution, reportResolutionError, type GrpcModule, type ResolverListener } from './grpc-js-compat';
import { createMeshConfigSelector } from './mesh-config-selector';
import { MESH_LB_POLICY_NAME } from './mesh-load-balancer';

/** The mesh target a `mesh:` URI names: the path without its leading slash (`mesh:///reviews` → `reviews`). */
export function meshTargetOf(uri: experimental.GrpcUri): string {
  return uri.path.replace(/^\/+/, '');
}

/**
 * Registers the resolver for `scheme` (default `mesh`): a channel to `mesh:///reviews` waits until
 * the mesh can route `reviews` (up to `readyTimeoutMs`), then installs the per-call config selector
 * and selects the `sidecarless_mesh` LB policy. It has no addresses of its own: the mesh chooses an
 * endpoint per call and the LB policy connects to it.
 */
export function registerMeshResolver(grpcModule: GrpcModule, mesh: Pick<MeshClient, 'pick' | 'ready'>, scheme: string, readyTimeoutMs: number): void {
  const { experimental: x, status: Status } = grpcModule;
  const serviceConfig = { loadBalancingConfig: [{ [MESH_LB_POLICY_NAME]: {} }], methodConfig: [] };

  class MeshResolver implements experimental.Resolver {
    readonly #target: string;
    readonly #listener: ResolverListener;
    #generation = 0;

    constructor(uri: experimental.GrpcUri, listener: ResolverListener, _options: ChannelOptions) {
      this.#target = meshTargetOf(uri);
      this.#listener = listener;
    }

    updateResolution(): void {
      const generation = ++this.#generation;
      mesh.ready([this.#target], { timeoutMs: readyTimeoutMs }).then(
        () => {
          if (generation !== this.#generation) return;
          const selector = createMeshConfigSelector(grpcModule, mesh, this.#target);
          reportResolution(this.#listener, serviceConfig, selector, x.CHANNEL_ARGS_CONFIG_SELECTOR_KEY);
        },
        (error: Error) => {
          if (generation !== this.#generation) return;
          reportResolutionError(grpcModule, this.#listener, Status.UNAVAILABLE, `sidecarless: ${this.#target}: ${error.message}`);
        },
      );
    }

    destroy(): void {
      this.#generation++;
    }

    static getDefaultAuthority(uri: experimental.GrpcUri): string {
      return meshTargetOf(uri);
    }
  }

  x.registerResolver(scheme, MeshResolver);
}
