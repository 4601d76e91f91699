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
export { Router, validateRouteTable, type RouterOptions, type CompiledRoute } from './routing/router';
export type { RoutingMode } from './routing/routing-mode';
export { validateRe2 } from './routing/safe-regex';
export { effectiveTimeoutMs } from './routing/timeout';
export {
  normalizeRetryPolicy,
  validateRetryPolicy,
  isRetriableHttpStatus,
  isRetriableHttpFailure,
  retriableGrpcCodes,
  maxGrpcAttempts,
  maxHttpAttempts,
  backoffMs,
  type RetryPolicyInput,
  type HttpFailureKind,
} from './routing/retry-policy';
export { MeshClient } from './client/mesh-client';
export type { MeshClientEvents, MeshUpdateEvent, MeshSourceErrorEvent, ReadyOptions, ClusterView, EndpointView } from './client/mesh-client';
export type { MeshClientOptions, FileSourceConfig } from './client/mesh-client-options';
export type { PickResult, PickSuccess, PickFailure, PickError, RoutePolicy } from './client/pick-result';
export { diagnosticsChannels } from './client/client-diagnostics';
