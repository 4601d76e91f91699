export type { CallOutcome, ClusterBalancer, ClusterPickFailure, ClusterStats, EndpointPick } from './balancer';
export { createClusterBalancer, type ClusterBalancerOptions } from './cluster-balancer';
export type {
  EndpointLoad,
  EndpointPicker,
  LbPolicyConfig,
  LbPolicyDefinition,
  PickerContext,
  PickerEntry,
} from './endpoint-picker';
export { createEndpointPicker, registerLbPolicy, resolveLbPolicy } from './lb-policy-registry';
