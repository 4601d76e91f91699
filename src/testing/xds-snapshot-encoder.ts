import type { Cluster, LbPolicy, OutlierDetectionConfig } from '../model/cluster';
import type { Listener } from '../model/listener';
import type { MeshSnapshot } from '../model/mesh-snapshot';
import type {
  HashPolicy,
  HeaderMatcher,
  RetryPolicy,
  Route,
  RouteTable,
  StringMatcher,
} from '../model/route-table';
import { encodeMessage, messageNameOf } from '../sources/xds/protos';
import { TypeUrl } from '../sources/xds/type-urls';
import { msToDuration } from '../sources/xds/well-known';

/** An encoded resource ready to put in a response: its name and `google.protobuf.Any`. */
export interface EncodedResource {
  readonly name: string;
  readonly any: { readonly type_url: string; readonly value: Buffer };
}

/** Encoded resources of a snapshot, by type URL then name. */
export type EncodedSnapshot = Map<string, Map<string, EncodedResource>>;

function pack(typeUrl: string, value: object): { type_url: string; value: Buffer } {
  return { type_url: typeUrl, value: encodeMessage(messageNameOf(typeUrl), value) };
}

function stringMatcher(m: StringMatcher): object {
  if (m.kind === 'regex') return { safe_regex: { regex: m.regex } };
  return { [m.kind]: m.value, ignore_case: m.ignoreCase };
}

function headerMatcher(h: HeaderMatcher): object {
  const base = { name: h.name, invert_match: h.invert, treat_missing_header_as_empty: h.treatMissingAsEmpty };
  switch (h.match.kind) {
    case 'string':
      return { ...base, string_match: stringMatcher(h.match.matcher) };
    case 'range':
      return { ...base, range_match: { start: h.match.start.toString(), end: h.match.end.toString() } };
    default:
      return { ...base, present_match: h.match.present };
  }
}

function retryPolicy(r: RetryPolicy): object {
  return {
    retry_on: r.retryOn.join(','),
    num_retries: { value: r.numRetries },
    retriable_status_codes: [...r.retriableStatusCodes],
    retry_back_off: { base_interval: msToDuration(r.baseIntervalMs), max_interval: msToDuration(r.maxIntervalMs) },
    ...(r.perTryTimeoutMs ? { per_try_timeout: msToDuration(r.perTryTimeoutMs) } : {}),
  };
}

function hashPolicy(h: HashPolicy): object {
  switch (h.kind) {
    case 'header':
      return {
        terminal: h.terminal,
        header: {
          header_name: h.name,
          ...(h.regexRewrite ? { regex_rewrite: { pattern: { regex: h.regexRewrite.regex }, substitution: h.regexRewrite.substitution } } : {}),
        },
      };
    case 'cookie':
      return { terminal: h.terminal, cookie: { name: h.name } };
    case 'queryParameter':
      return { terminal: h.terminal, query_parameter: { name: h.name } };
    default:
      return { terminal: h.terminal, filter_state: { key: 'io.grpc.channel_id' } };
  }
}

function route(r: Route): object {
  const m = r.match;
  const path =
    m.path.kind === 'regex'
      ? { safe_regex: { regex: m.path.regex } }
      : m.path.kind === 'pathSeparatedPrefix'
        ? { path_separated_prefix: m.path.value }
        : { [m.path.kind]: m.path.value };
  const match = {
    ...path,
    case_sensitive: { value: m.caseSensitive },
    headers: m.headers.map(headerMatcher),
    query_parameters: m.queryParameters.map((q) => (q.matcher ? { name: q.name, string_match: stringMatcher(q.matcher) } : { name: q.name, present_match: true })),
    ...(m.runtimeFractionPerMillion !== undefined
      ? { runtime_fraction: { default_value: { numerator: m.runtimeFractionPerMillion, denominator: 'MILLION' } } }
      : {}),
  };
  const a = r.action;
  if (a.kind === 'nonForwarding') return { ...(r.name ? { name: r.name } : {}), match, non_forwarding_action: {} };
  const specifier =
    a.kind === 'cluster'
      ? { cluster: a.cluster }
      : a.kind === 'clusterHeader'
        ? { cluster_header: a.header }
        : { weighted_clusters: { clusters: a.clusters.map((c) => ({ name: c.name, weight: { value: c.weight } })) } };
  return {
    ...(r.name ? { name: r.name } : {}),
    match,
    route: {
      ...specifier,
      hash_policy: r.hashPolicies.map(hashPolicy),
      ...(r.timeoutMs !== undefined ? { timeout: msToDuration(r.timeoutMs) } : {}),
      ...(r.maxStreamDurationMs !== undefined ? { max_stream_duration: { max_stream_duration: msToDuration(r.maxStreamDurationMs) } } : {}),
      ...(r.retryPolicy ? { retry_policy: retryPolicy(r.retryPolicy) } : {}),
    },
  };
}

/** A model route table as an `envoy.config.route.v3.RouteConfiguration` object. */
export function routeConfigurationOf(table: RouteTable): object {
  return {
    name: table.name,
    virtual_hosts: table.virtualHosts.map((vh) => ({
      name: vh.name,
      domains: [...vh.domains],
      routes: vh.routes.map(route),
      ...(vh.retryPolicy ? { retry_policy: retryPolicy(vh.retryPolicy) } : {}),
    })),
  };
}

/** A model listener as an `envoy.config.listener.v3.Listener` object: HCM api_listener, router filter, RDS or inline routes. */
export function listenerOf(listener: Listener): object {
  const hcm = {
    ...(listener.routeTable
      ? { route_config: routeConfigurationOf(listener.routeTable) }
      : { rds: { config_source: { ads: {} }, route_config_name: listener.routeTableName ?? listener.name } }),
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: pack(TypeUrl.ROUTER, {}) }],
    ...(listener.maxStreamDurationMs ? { common_http_protocol_options: { max_stream_duration: msToDuration(listener.maxStreamDurationMs) } } : {}),
  };
  return { name: listener.name, api_listener: { api_listener: pack(TypeUrl.HTTP_CONNECTION_MANAGER, hcm) } };
}

function policyOf(typeUrl: string, value: object): object {
  return { typed_extension_config: { name: messageNameOf(typeUrl), typed_config: pack(typeUrl, value) } };
}

function lbPolicyFields(p: LbPolicy): object {
  switch (p.name) {
    case 'ring_hash':
      return {
        lb_policy: 'RING_HASH',
        ring_hash_lb_config: { minimum_ring_size: { value: String(p.minRingSize) }, maximum_ring_size: { value: String(p.maxRingSize) } },
      };
    case 'least_request':
      return { lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: { value: p.choiceCount } } };
    case 'weighted_round_robin':
      return {
        load_balancing_policy: {
          policies: [policyOf(TypeUrl.WRR_LOCALITY, { endpoint_picking_policy: { policies: [policyOf(TypeUrl.CLIENT_SIDE_WRR, {})] } })],
        },
      };
    case 'pick_first':
      return { load_balancing_policy: { policies: [policyOf(TypeUrl.PICK_FIRST, { shuffle_address_list: p.shuffleAddressList })] } };
    case 'maglev':
      return { load_balancing_policy: { policies: [policyOf(TypeUrl.MAGLEV, { table_size: { value: String(p.tableSize) } })] } };
    default:
      // round_robin; `random` has no xDS equivalent and is served as round robin.
      return { lb_policy: 'ROUND_ROBIN' };
  }
}

function outlierDetectionOf(od: OutlierDetectionConfig): object {
  const sr = od.successRateEjection;
  const fp = od.failurePercentageEjection;
  return {
    interval: msToDuration(od.intervalMs),
    base_ejection_time: msToDuration(od.baseEjectionTimeMs),
    max_ejection_time: msToDuration(od.maxEjectionTimeMs),
    max_ejection_percent: { value: od.maxEjectionPercent },
    enforcing_success_rate: { value: sr ? sr.enforcementPercentage : 0 },
    ...(sr
      ? {
          success_rate_stdev_factor: { value: sr.stdevFactor },
          success_rate_minimum_hosts: { value: sr.minimumHosts },
          success_rate_request_volume: { value: sr.requestVolume },
        }
      : {}),
    enforcing_failure_percentage: { value: fp ? fp.enforcementPercentage : 0 },
    ...(fp
      ? {
          failure_percentage_threshold: { value: fp.threshold },
          failure_percentage_minimum_hosts: { value: fp.minimumHosts },
          failure_percentage_request_volume: { value: fp.requestVolume },
        }
      : {}),
  };
}

/** A model cluster as an EDS `envoy.config.cluster.v3.Cluster` object (service_name = cluster name). */
export function clusterOf(cluster: Cluster): object {
  return {
    name: cluster.name,
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {} }, service_name: cluster.name },
    ...lbPolicyFields(cluster.lbPolicy),
    ...(cluster.outlierDetection ? { outlier_detection: outlierDetectionOf(cluster.outlierDetection) } : {}),
    circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_requests: { value: cluster.circuitBreaker.maxRequests } }] },
  };
}

/** A model cluster's endpoints as an `envoy.config.endpoint.v3.ClusterLoadAssignment` object. */
export function clusterLoadAssignmentOf(cluster: Cluster): object {
  return {
    cluster_name: cluster.name,
    endpoints: cluster.priorities.flatMap((level) =>
      level.localities.map((l) => ({
        locality: { region: l.locality.region, zone: l.locality.zone, sub_zone: l.locality.subZone },
        load_balancing_weight: { value: l.weight },
        priority: level.priority,
        lb_endpoints: l.endpoints.map((e) => {
          const lbMeta: Record<string, { stringValue: string }> = {};
          for (const [k, v] of Object.entries(e.labels)) lbMeta[k] = { stringValue: v };
          if (e.hashKey) lbMeta.hash_key = { stringValue: e.hashKey };
          return {
            endpoint: { address: { socket_address: { address: e.host, port_value: e.port } } },
            health_status: e.health,
            load_balancing_weight: { value: e.weight },
            ...(Object.keys(lbMeta).length > 0 ? { metadata: { filter_metadata: { 'envoy.lb': { fields: lbMeta } } } } : {}),
          };
        }),
      })),
    ),
    policy: {
      drop_overloads: cluster.dropOverloads.map((d) => ({
        category: d.category,
        drop_percentage: { numerator: d.dropPerMillion, denominator: 'MILLION' },
      })),
    },
  };
}

/** Encodes every resource of a snapshot (LDS, RDS, CDS, EDS), keyed by type URL then name. */
export function encodeSnapshot(snapshot: MeshSnapshot): EncodedSnapshot {
  const out: EncodedSnapshot = new Map([
    [TypeUrl.LISTENER, new Map()],
    [TypeUrl.ROUTE_CONFIGURATION, new Map()],
    [TypeUrl.CLUSTER, new Map()],
    [TypeUrl.CLUSTER_LOAD_ASSIGNMENT, new Map()],
  ]);
  const put = (typeUrl: string, name: string, value: object) =>
    out.get(typeUrl)!.set(name, Object.freeze({ name, any: pack(typeUrl, value) }));
  for (const [key, l] of snapshot.listeners) put(TypeUrl.LISTENER, key, listenerOf(l.name === key ? l : { ...l, name: key }));
  for (const [name, t] of snapshot.routeTables) put(TypeUrl.ROUTE_CONFIGURATION, name, routeConfigurationOf(t.name === name ? t : { ...t, name }));
  for (const [name, c] of snapshot.clusters) {
    const named = c.name === name ? c : { ...c, name };
    put(TypeUrl.CLUSTER, name, clusterOf(named));
    put(TypeUrl.CLUSTER_LOAD_ASSIGNMENT, name, clusterLoadAssignmentOf(named));
  }
  return out;
}
