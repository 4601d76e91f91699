/**
 * `sidecarless/http`: route node:http/https requests (and axios, got) through the mesh.
 * @packageDocumentation
 */
export { MeshHttpAgent, type MeshAgentOptions } from './mesh-http-agent';
export { MeshHttpsAgent } from './mesh-https-agent';
export { meshAgents, meshAxiosInterceptor, type MeshAgents, type MeshAxiosInterceptor, type AgentRequestConfig } from './mesh-axios-interceptor';
export type { MeshPicker } from '../outbound/mesh-picker';
export type { TargetsOf, OutboundTargetOptions } from '../outbound/origin-target';
export type { MeshHosts } from '../outbound/mesh-hosts';
export { runWithMeshContext, currentMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';
