/**
 * `sidecarless/grpc`: a `mesh:` resolver, LB policy and interceptor for your `@grpc/grpc-js`.
 * @packageDocumentation
 */
export { registerMeshGrpc, type RegisterMeshGrpcOptions } from './register-mesh-grpc';
export { meshGrpcInterceptor } from './mesh-grpc-interceptor';
export { MESH_LB_POLICY_NAME } from './mesh-load-balancer';
export type { GrpcModule } from './grpc-js-compat';
export { runWithMeshContext, currentMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';
