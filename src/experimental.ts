/**
 * Extension points whose shape may still change between minor versions: custom sources and
 * balancers.
 * @packageDocumentation
 */
export type { Source, SourceEvents, TargetStatus } from './sources/source';
export type { ClusterBalancer, EndpointPick, ClusterPickFailure } from './balancing/balancer';
export { StaticSource } from './sources/static/static-source';
export * from './balancing/index';
