/**
 * Extension points whose shape may still change between minor versions: custom sources and
 * balancers.
 * @packageDocumentation
 */
export type { Source, SourceEvents, TargetStatus } from './sources/source';
export type { ClusterBalancer, EndpointPick, ClusterPickFailure } from './balancing/balancer';
export { StaticSource } from './sources/static/static-source';
export * from './balancing/index';
export { parseServiceRules, serviceRulesToModel, subsetClusterName } from './sources/file/service-rules';
export type { ServiceRules } from './sources/file/service-rules';
export { FileSource } from './sources/file/file-source';
export type { FileSourceOptions, FileSourceClock } from './sources/file/file-source';
