/**
 * Extension points whose shape may still change between minor versions: custom sources and
 * balancers.
 * @packageDocumentation
 */
export type { Source, SourceEvents, TargetStatus } from './sources/source';
export type { ClusterBalancer, EndpointPick, ClusterPickFailure } from './balancing/balancer';
export { createClusterBalancer, registerLbPolicy, resolveLbPolicy, createEndpointPicker } from './balancing/index';
export type {
  ClusterBalancerOptions,
  BalancerClock,
  EndpointLoad,
  EndpointPicker,
  LbPolicyConfig,
  LbPolicyDefinition,
  PickerContext,
  PickerEntry,
} from './balancing/index';
