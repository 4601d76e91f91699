/**
 * sidecarless: a proxyless service-mesh client for Node.js.
 * @packageDocumentation
 */
export * from './errors';
export * from './model/index';
export type { RequestContext, HeaderBag } from './routing/request-context';
export type { CallOutcome, ClusterStats } from './balancing/balancer';
export { parseMeshConfig, loadMeshConfigFile, meshConfigToSnapshot } from './sources/file/mesh-config';
export type { MeshConfigOptions } from './sources/file/mesh-config';
export type { ConfigFormat, ConfigTextOptions } from './sources/file/config-text';
