import type { MeshClient } from '../../client/mesh-client';
import { InvalidConfigError } from '../../errors';
import type { GrpcModule } from './grpc-js-compat';
import { registerMeshLoadBalancer } from './mesh-load-balancer';
import { registerMeshResolver } from './mesh-resolver';

/** Options of {@link registerMeshGrpc}. */
export interface RegisterMeshGrpcOptions {
  /** URI scheme of the resolver. Default `mesh` (`mesh:///reviews`); use another to register a second client. */
  scheme?: string;
  /** How long a new channel waits for the mesh to know its target before failing calls, in ms. Default 10,000. */
  readyTimeoutMs?: number;
}

/**
 * Registers the `mesh:` resolver and the `sidecarless_mesh` LB policy into your `@grpc/grpc-js`, so
 * `new Client('mesh:///reviews', creds)` routes each call by method path and metadata, balances it
 * with the cluster's policy, applies the route timeout as deadline and the route's retry policy
 * (gRFC A44, run by grpc-js; each retry picks an endpoint again), and reports every attempt's
 * status to the mesh (outlier detection, least request, circuit breaker).
 * @param mesh the client (any object with its `pick` and `ready`).
 *
 * @example
 * ```ts
 * import * as grpc from '@grpc/grpc-js';
 * registerMeshGrpc(grpc, mesh);
 * const client = new Greeter('mesh:///greeter', grpc.credentials.createInsecure(),
 *   { interceptors: [meshGrpcInterceptor(grpc)] });
 * ```
 */
export function registerMeshGrpc(grpcModule: GrpcModule, mesh: Pick<MeshClient, 'pick' | 'ready'>, options: RegisterMeshGrpcOptions = {}): void {
  if (grpcModule === null || typeof grpcModule !== 'object' || typeof grpcModule.experimental?.registerResolver !== 'function') {
    throw new InvalidConfigError('grpc', 'must be the @grpc/grpc-js module (>= 1.10)');
  }
  const scheme = options.scheme ?? 'mesh';
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) throw new InvalidConfigError('scheme', `must be a URI scheme, got ${JSON.stringify(scheme)}`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  if (!Number.isInteger(readyTimeoutMs) || readyTimeoutMs < 0) {
    throw new InvalidConfigError('readyTimeoutMs', `must be a non-negative integer, got ${JSON.stringify(readyTimeoutMs)}`);
  }
  registerMeshLoadBalancer(grpcModule);
  registerMeshResolver(grpcModule, mesh, scheme, readyTimeoutMs);
}
