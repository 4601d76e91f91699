/** `type.googleapis.com/` type URLs of the xDS messages sidecarless reads (xds-reference §0). */
export const TypeUrl = {
  LISTENER: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  ROUTE_CONFIGURATION: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  CLUSTER: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  CLUSTER_LOAD_ASSIGNMENT: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  HTTP_CONNECTION_MANAGER:
    'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  ROUTER: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  FAULT: 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
  RBAC: 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC',
  RBAC_PER_ROUTE: 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute',
  STATEFUL_SESSION: 'type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession',
  STATEFUL_SESSION_PER_ROUTE:
    'type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSessionPerRoute',
  FILTER_CONFIG: 'type.googleapis.com/envoy.config.route.v3.FilterConfig',
  AGGREGATE_CLUSTER_CONFIG: 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig',
  UPSTREAM_TLS_CONTEXT: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  RESOURCE: 'type.googleapis.com/envoy.service.discovery.v3.Resource',
  XDS_TYPED_STRUCT: 'type.googleapis.com/xds.type.v3.TypedStruct',
  UDPA_TYPED_STRUCT: 'type.googleapis.com/udpa.type.v1.TypedStruct',
  ROUND_ROBIN: 'type.googleapis.com/envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin',
  RING_HASH: 'type.googleapis.com/envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash',
  LEAST_REQUEST: 'type.googleapis.com/envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest',
  WRR_LOCALITY: 'type.googleapis.com/envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality',
  CLIENT_SIDE_WRR:
    'type.googleapis.com/envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin',
  PICK_FIRST: 'type.googleapis.com/envoy.extensions.load_balancing_policies.pick_first.v3.PickFirst',
  MAGLEV: 'type.googleapis.com/envoy.extensions.load_balancing_policies.maglev.v3.Maglev',
} as const;
