/**
 * `sidecarless/http`: route node:http/https requests (and axios, got) through the mesh.
 * @packageDocumentation
 */
export { MeshHttpAgent, type MeshAgentOptions } from './mesh-http-agent';
export { MeshHttpsAgent } from './mesh-https-agent';
export { meshAgents, meshAxiosInterceptor, type MeshAgents, type MeshAxiosInterceptor, type AgentRequestConfig } from './mesh-axios-interceptor';
export type { MeshPicker } from '../outbound/mesh-picker';
export type { TargetsOf } from '../outbound/origin-target';
export { runWithMeshContext, currentMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';
