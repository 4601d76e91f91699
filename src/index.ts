/**
 * sidecarless: a proxyless service-mesh client for Node.js.
 * @packageDocumentation
 */
export * from './errors';
export * from './model/index';
export type { RequestContext, HeaderBag } from './routing/request-context';
export type { CallOutcome, ClusterStats } from './balancing/balancer';
import type { MeshSnapshot } from './model/mesh-snapshot';
import type { MeshConfigOptions } from './sources/file/mesh-config';

// The mesh-config parser (schemas, YAML) is loaded on first use, not with the package: an xDS-only
// app's cold start to its first pick is budgeted, and it never parses a mesh file.
function meshConfig(): typeof import('./sources/file/mesh-config') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./sources/file/mesh-config') as typeof import('./sources/file/mesh-config');
}

/**
 * Parses a mesh.yaml / mesh.json text into a frozen {@link MeshSnapshot} with every default filled.
 * Throws an {@link InvalidConfigError} naming the field (`clusters.a.endpoints[0].port: must be
 * 1..65535`) or, for syntax errors, the line and column.
 */
export function parseMeshConfig(text: string, options: MeshConfigOptions = {}): MeshSnapshot {
  return meshConfig().parseMeshConfig(text, options);
}

/** Reads and parses a mesh config file; the format follows the extension (`.json`, else YAML). */
export function loadMeshConfigFile(path: string): Promise<MeshSnapshot> {
  return meshConfig().loadMeshConfigFile(path);
}

/**
 * Converts an already-parsed mesh config document (plain data, integers as number or bigint) into a
 * frozen snapshot. `fieldPrefix` is prepended to every error path, for documents embedded in
 * another one. The snapshot version is a hash of the content, so an unchanged document keeps its
 * version.
 */
export function meshConfigToSnapshot(value: unknown, fieldPrefix = ''): MeshSnapshot {
  return meshConfig().meshConfigToSnapshot(value, fieldPrefix);
}
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
