/**
 * `sidecarless/express`: carry routing headers to outbound mesh calls, the admin endpoints, and
 * mesh-aware error responses.
 * @packageDocumentation
 */
export { meshContext, DEFAULT_CONTEXT_HEADERS, type MeshContextOptions, type MeshContextMiddleware } from './mesh-context-middleware';
export { meshAdmin, type MeshAdminSource } from './mesh-admin';
export { meshErrorHandler, findMeshError, type MeshErrorHandlerOptions } from './mesh-error-handler';
export { renderMeshMetrics, type SourcedClusterStats } from './mesh-metrics-text';
export { runWithMeshContext, currentMeshContext, type MeshContextHeaders } from '../outbound/mesh-context';
