/**
 * Plain-object shapes of the lean xDS messages as {@link decodeMessage} returns them: snake_case
 * field names, enums as their names (or numbers when unknown), 64-bit integers as strings, unset
 * fields absent, and for each oneof a property naming the member that is set. Only what the
 * decoders read is typed. Internal to `sources/xds`.
 * @internal
 * @module
 */

/** google.protobuf.Any */
export interface WireAny {
  type_url?: string;
  value?: Uint8Array;
}
/** google.protobuf.Duration */
export interface WireDuration {
  seconds?: string | number;
  nanos?: number;
}
/** google.protobuf.{UInt32,Bool,Float,...}Value */
export interface WireWrapper<T> {
  value?: T;
}
/**
 * google.protobuf.Value. protobufjs bundles the well-known types with camelCase field names, so
 * these are the only camelCase fields here.
 */
export interface WireValue {
  nullValue?: string | number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: WireStruct;
  listValue?: { values?: WireValue[] };
  kind?: string;
}
/** google.protobuf.Struct */
export interface WireStruct {
  fields?: Record<string, WireValue>;
}
/** google.rpc.Status */
export interface WireStatus {
  code?: number;
  message?: string;
}
/** envoy.config.core.v3.Locality */
export interface WireLocality {
  region?: string;
  zone?: string;
  sub_zone?: string;
}
/** envoy.config.core.v3.Node */
export interface WireNode {
  id?: string;
  cluster?: string;
  metadata?: WireStruct;
  locality?: WireLocality;
  user_agent_name?: string;
  user_agent_version?: string;
  client_features?: string[];
}
/** envoy.config.core.v3.Metadata */
export interface WireMetadata {
  filter_metadata?: Record<string, WireStruct>;
}
/** envoy.config.core.v3.SocketAddress */
export interface WireSocketAddress {
  protocol?: string;
  address?: string;
  port_value?: number;
  named_port?: string;
  port_specifier?: string;
}
/** envoy.config.core.v3.Address */
export interface WireAddress {
  socket_address?: WireSocketAddress;
  pipe?: { path?: string };
  address?: string;
}
/** envoy.config.core.v3.ConfigSource */
export interface WireConfigSource {
  ads?: object;
  self?: object;
  path?: string;
  api_config_source?: object;
  config_source_specifier?: string;
}
/** envoy.config.core.v3.TypedExtensionConfig and xds.core.v3.TypedExtensionConfig */
export interface WireTypedExtensionConfig {
  name?: string;
  typed_config?: WireAny;
}
/** envoy.config.core.v3.TransportSocket */
export interface WireTransportSocket {
  name?: string;
  typed_config?: WireAny;
}
/** envoy.type.v3.FractionalPercent */
export interface WireFractionalPercent {
  numerator?: number;
  denominator?: string | number;
}

// ---- LDS / HCM ----

/** envoy.config.listener.v3.Listener */
export interface WireListener {
  name?: string;
  address?: WireAddress;
  api_listener?: { api_listener?: WireAny };
}
/** envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter */
export interface WireHttpFilter {
  name?: string;
  typed_config?: WireAny;
  config_discovery?: object;
  is_optional?: boolean;
  disabled?: boolean;
  config_type?: string;
}
/** envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager */
export interface WireHttpConnectionManager {
  rds?: { config_source?: WireConfigSource; route_config_name?: string };
  route_config?: WireRouteConfiguration;
  scoped_routes?: object;
  route_specifier?: string;
  http_filters?: WireHttpFilter[];
  common_http_protocol_options?: { max_stream_duration?: WireDuration };
}

// ---- RDS ----

/** envoy.type.matcher.v3.RegexMatcher */
export interface WireRegexMatcher {
  regex?: string;
}
/** envoy.type.matcher.v3.StringMatcher */
export interface WireStringMatcher {
  exact?: string;
  prefix?: string;
  suffix?: string;
  safe_regex?: WireRegexMatcher;
  contains?: string;
  custom?: WireTypedExtensionConfig;
  ignore_case?: boolean;
  match_pattern?: string;
}
/** envoy.config.route.v3.HeaderMatcher */
export interface WireHeaderMatcher {
  name?: string;
  exact_match?: string;
  safe_regex_match?: WireRegexMatcher;
  range_match?: { start?: string | number; end?: string | number };
  present_match?: boolean;
  prefix_match?: string;
  suffix_match?: string;
  contains_match?: string;
  string_match?: WireStringMatcher;
  invert_match?: boolean;
  treat_missing_header_as_empty?: boolean;
  header_match_specifier?: string;
}
/** envoy.config.route.v3.QueryParameterMatcher */
export interface WireQueryParameterMatcher {
  name?: string;
  string_match?: WireStringMatcher;
  present_match?: boolean;
  query_parameter_match_specifier?: string;
}
/** envoy.config.route.v3.RouteMatch */
export interface WireRouteMatch {
  prefix?: string;
  path?: string;
  safe_regex?: WireRegexMatcher;
  path_separated_prefix?: string;
  path_specifier?: string;
  case_sensitive?: WireWrapper<boolean>;
  runtime_fraction?: { default_value?: WireFractionalPercent };
  headers?: WireHeaderMatcher[];
  query_parameters?: WireQueryParameterMatcher[];
}
/** envoy.config.route.v3.RetryPolicy */
export interface WireRetryPolicy {
  retry_on?: string;
  num_retries?: WireWrapper<number>;
  per_try_timeout?: WireDuration;
  retry_back_off?: { base_interval?: WireDuration; max_interval?: WireDuration };
  retriable_status_codes?: number[];
}
/** envoy.config.route.v3.RouteAction.HashPolicy */
export interface WireHashPolicy {
  header?: {
    header_name?: string;
    regex_rewrite?: { pattern?: WireRegexMatcher; substitution?: string };
  };
  cookie?: { name?: string };
  connection_properties?: { source_ip?: boolean };
  query_parameter?: { name?: string };
  filter_state?: { key?: string };
  terminal?: boolean;
  policy_specifier?: string;
}
/** envoy.config.route.v3.WeightedCluster.ClusterWeight */
export interface WireClusterWeight {
  name?: string;
  weight?: WireWrapper<number>;
  typed_per_filter_config?: Record<string, WireAny>;
}
/** envoy.config.route.v3.RouteAction */
export interface WireRouteAction {
  cluster?: string;
  cluster_header?: string;
  weighted_clusters?: { clusters?: WireClusterWeight[]; total_weight?: WireWrapper<number> };
  cluster_specifier_plugin?: string;
  inline_cluster_specifier_plugin?: object;
  cluster_specifier?: string;
  timeout?: WireDuration;
  retry_policy?: WireRetryPolicy;
  hash_policy?: WireHashPolicy[];
  max_stream_duration?: {
    max_stream_duration?: WireDuration;
    grpc_timeout_header_max?: WireDuration;
  };
}
/** envoy.config.route.v3.Route */
export interface WireRoute {
  name?: string;
  match?: WireRouteMatch;
  route?: WireRouteAction;
  action?: string;
  typed_per_filter_config?: Record<string, WireAny>;
}
/** envoy.config.route.v3.VirtualHost */
export interface WireVirtualHost {
  name?: string;
  domains?: string[];
  routes?: WireRoute[];
  retry_policy?: WireRetryPolicy;
  typed_per_filter_config?: Record<string, WireAny>;
}
/** envoy.config.route.v3.RouteConfiguration */
export interface WireRouteConfiguration {
  name?: string;
  virtual_hosts?: WireVirtualHost[];
}

// ---- CDS ----

/** envoy.config.cluster.v3.LoadBalancingPolicy */
export interface WireLoadBalancingPolicy {
  policies?: { typed_extension_config?: WireTypedExtensionConfig }[];
}
/** envoy.config.cluster.v3.OutlierDetection */
export interface WireOutlierDetection {
  interval?: WireDuration;
  base_ejection_time?: WireDuration;
  max_ejection_time?: WireDuration;
  max_ejection_percent?: WireWrapper<number>;
  enforcing_success_rate?: WireWrapper<number>;
  success_rate_minimum_hosts?: WireWrapper<number>;
  success_rate_request_volume?: WireWrapper<number>;
  success_rate_stdev_factor?: WireWrapper<number>;
  failure_percentage_threshold?: WireWrapper<number>;
  enforcing_failure_percentage?: WireWrapper<number>;
  failure_percentage_minimum_hosts?: WireWrapper<number>;
  failure_percentage_request_volume?: WireWrapper<number>;
}
/** envoy.config.cluster.v3.Cluster */
export interface WireCluster {
  name?: string;
  type?: string | number;
  cluster_type?: { name?: string; typed_config?: WireAny };
  cluster_discovery_type?: string;
  eds_cluster_config?: { eds_config?: WireConfigSource; service_name?: string };
  lb_policy?: string | number;
  load_assignment?: WireClusterLoadAssignment;
  circuit_breakers?: {
    thresholds?: { priority?: string | number; max_requests?: WireWrapper<number> }[];
  };
  outlier_detection?: WireOutlierDetection;
  ring_hash_lb_config?: {
    minimum_ring_size?: WireWrapper<string | number>;
    maximum_ring_size?: WireWrapper<string | number>;
    hash_function?: string | number;
  };
  maglev_lb_config?: { table_size?: WireWrapper<string | number> };
  least_request_lb_config?: { choice_count?: WireWrapper<number> };
  lb_config?: string;
  transport_socket?: WireTransportSocket;
  metadata?: WireMetadata;
  load_balancing_policy?: WireLoadBalancingPolicy;
  lrs_server?: WireConfigSource;
}

// ---- EDS ----

/** envoy.config.endpoint.v3.LbEndpoint */
export interface WireLbEndpoint {
  endpoint?: { address?: WireAddress; hostname?: string };
  endpoint_name?: string;
  host_identifier?: string;
  health_status?: string | number;
  metadata?: WireMetadata;
  load_balancing_weight?: WireWrapper<number>;
}
/** envoy.config.endpoint.v3.LocalityLbEndpoints */
export interface WireLocalityLbEndpoints {
  locality?: WireLocality;
  metadata?: WireMetadata;
  lb_endpoints?: WireLbEndpoint[];
  load_balancing_weight?: WireWrapper<number>;
  priority?: number;
}
/** envoy.config.endpoint.v3.ClusterLoadAssignment */
export interface WireClusterLoadAssignment {
  cluster_name?: string;
  endpoints?: WireLocalityLbEndpoints[];
  policy?: {
    drop_overloads?: { category?: string; drop_percentage?: WireFractionalPercent }[];
    overprovisioning_factor?: WireWrapper<number>;
  };
}

// ---- discovery ----

/** envoy.service.discovery.v3.DiscoveryRequest */
export interface WireDiscoveryRequest {
  version_info?: string;
  node?: WireNode;
  resource_names?: string[];
  type_url?: string;
  response_nonce?: string;
  error_detail?: WireStatus;
}
/** envoy.service.discovery.v3.DiscoveryResponse */
export interface WireDiscoveryResponse {
  version_info?: string;
  resources?: WireAny[];
  type_url?: string;
  nonce?: string;
  control_plane?: { identifier?: string };
}
/** envoy.service.discovery.v3.Resource */
export interface WireResource {
  name?: string;
  aliases?: string[];
  version?: string;
  resource?: WireAny;
  ttl?: WireDuration;
}
/** envoy.service.discovery.v3.DeltaDiscoveryRequest */
export interface WireDeltaDiscoveryRequest {
  node?: WireNode;
  type_url?: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: WireStatus;
}
/** envoy.service.discovery.v3.DeltaDiscoveryResponse */
export interface WireDeltaDiscoveryResponse {
  system_version_info?: string;
  resources?: WireResource[];
  type_url?: string;
  removed_resources?: string[];
  nonce?: string;
}
