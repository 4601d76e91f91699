/**
 * `sidecarless/undici`: route undici and Node `fetch` requests through the mesh.
 * @packageDocumentation
 */
export { meshInterceptor, type MeshInterceptorOptions } from './mesh-interceptor';
export { createMeshDispatcher, type MeshDispatcherOptions } from './mesh-dispatcher';
export { createMeshFetch, type MeshFetch } from './mesh-fetch';
export { installGlobalDispatcher } from './global-dispatcher';
export type { MeshPicker } from '../outbound/mesh-picker';
export { defaultTargetsOf, type TargetsOf, type OutboundTargetOptions } from '../outbound/origin-target';
export type { MeshHosts } from '../outbound/mesh-hosts';
export { runWithMeshContext, currentMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';
