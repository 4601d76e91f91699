/**
 * sidecarless: a proxyless service-mesh client for Node.js.
 * @packageDocumentation
 */
export * from './errors';
export * from './model/index';
export type { RequestContext, HeaderBag } from './routing/request-context';
export type { CallOutcome, ClusterStats } from './balancing/balancer';
