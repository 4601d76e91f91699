import {
  CLUSTER_DEFAULTS,
  OUTLIER_DETECTION_DEFAULTS,
  type CircuitBreakerConfig,
  type LbPolicy,
  type OutlierDetectionConfig,
} from '../../../model/cluster';
import { decodeMessage, messageNameOf } from '../protos';
import { TypeUrl } from '../type-urls';
import { durationMs } from '../well-known';
import type { WireCluster, WireConfigSource, WireOutlierDetection } from '../wire-types';
import { convertLoadAssignment, type XdsEndpoints } from './cluster-load-assignment-resource';
import { leastRequestPolicy, ringHashPolicy, selectLoadBalancingPolicy } from './lb-policy-registry';
import { decodeResource, registerResourceType, type XdsResourceType } from './resource-type';
import { invalidField } from './resource-error';

/** How a cluster finds its endpoints. */
export type XdsClusterDiscovery =
  /** EDS resource name: `service_name`, or the cluster name when empty. */
  | { readonly kind: 'eds'; readonly serviceName: string }
  /** One host:port resolved by DNS when dialed (A37); `endpoints` holds it as one endpoint. */
  | { readonly kind: 'logicalDns'; readonly endpoints: XdsEndpoints }
  /** Endpoints inline in `load_assignment` (Envoy STATIC; accepted as an extension to gRPC). */
  | { readonly kind: 'static'; readonly endpoints: XdsEndpoints }
  /** An aggregate cluster (A37): the children's priorities, in order. */
  | { readonly kind: 'aggregate'; readonly children: readonly string[] };

/** A decoded CDS Cluster: everything of a model Cluster except the endpoints. */
export interface XdsCluster {
  readonly name: string;
  readonly discovery: XdsClusterDiscovery;
  readonly lbPolicy: LbPolicy;
  readonly outlierDetection?: OutlierDetectionConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
}

function checkAdsSource(source: WireConfigSource | undefined, field: string): void {
  const kind = source?.config_source_specifier;
  if (kind !== 'ads' && kind !== 'self') throw invalidField(field, `must be ads or self, got ${kind ?? '(none)'}`);
}

function percent(v: number | undefined, field: string): number | undefined {
  if (v !== undefined && v > 100) throw invalidField(field, 'must be <= 100');
  return v;
}

/** OutlierDetection → model with A50 defaults and checks (percentages <= 100, durations >= 0). */
export function convertOutlierDetection(od: WireOutlierDetection, field: string): OutlierDetectionConfig {
  const d = OUTLIER_DETECTION_DEFAULTS;
  const intervalMs = durationMs(od.interval, `${field}.interval`) ?? d.intervalMs;
  const baseEjectionTimeMs = durationMs(od.base_ejection_time, `${field}.base_ejection_time`) ?? d.baseEjectionTimeMs;
  const maxEjectionTimeMs =
    durationMs(od.max_ejection_time, `${field}.max_ejection_time`) ?? Math.max(d.maxEjectionTimeMs, baseEjectionTimeMs);
  const maxEjectionPercent = percent(od.max_ejection_percent?.value, `${field}.max_ejection_percent`) ?? d.maxEjectionPercent;
  const srEnforce = percent(od.enforcing_success_rate?.value, `${field}.enforcing_success_rate`) ?? d.successRate.enforcementPercentage;
  const fpEnforce =
    percent(od.enforcing_failure_percentage?.value, `${field}.enforcing_failure_percentage`) ?? d.failurePercentage.enforcementPercentage;
  const fpThreshold = percent(od.failure_percentage_threshold?.value, `${field}.failure_percentage_threshold`) ?? d.failurePercentage.threshold;
  return Object.freeze({
    intervalMs,
    baseEjectionTimeMs,
    maxEjectionTimeMs,
    maxEjectionPercent,
    ...(srEnforce > 0
      ? {
          successRateEjection: Object.freeze({
            stdevFactor: od.success_rate_stdev_factor?.value ?? d.successRate.stdevFactor,
            enforcementPercentage: srEnforce,
            minimumHosts: od.success_rate_minimum_hosts?.value ?? d.successRate.minimumHosts,
            requestVolume: od.success_rate_request_volume?.value ?? d.successRate.requestVolume,
          }),
        }
      : {}),
    ...(fpEnforce > 0
      ? {
          failurePercentageEjection: Object.freeze({
            threshold: fpThreshold,
            enforcementPercentage: fpEnforce,
            minimumHosts: od.failure_percentage_minimum_hosts?.value ?? d.failurePercentage.minimumHosts,
            requestVolume: od.failure_percentage_request_volume?.value ?? d.failurePercentage.requestVolume,
          }),
        }
      : {}),
  });
}

/** A52 step 2: the policy from the `lb_policy` enum when `load_balancing_policy` is unset. */
function legacyLbPolicy(c: WireCluster): LbPolicy {
  const policy = String(c.lb_policy ?? 'ROUND_ROBIN');
  switch (policy) {
    case 'ROUND_ROBIN':
      return CLUSTER_DEFAULTS.lbPolicy;
    case 'RING_HASH': {
      const rh = c.ring_hash_lb_config;
      if (rh && (rh.hash_function ?? 'XX_HASH') !== 'XX_HASH') {
        throw invalidField('ring_hash_lb_config.hash_function', `${String(rh.hash_function)} is not supported (XX_HASH only)`);
      }
      const n = (w: { value?: string | number } | undefined) => (w?.value === undefined ? undefined : Number(w.value));
      return ringHashPolicy(n(rh?.minimum_ring_size), n(rh?.maximum_ring_size), 'ring_hash_lb_config');
    }
    case 'LEAST_REQUEST':
      return leastRequestPolicy(c.least_request_lb_config?.choice_count?.value, 'least_request_lb_config');
    default:
      throw invalidField('lb_policy', `${policy} is not supported (ROUND_ROBIN, RING_HASH or LEAST_REQUEST, or load_balancing_policy)`);
  }
}

function convertDiscovery(c: WireCluster, name: string): XdsClusterDiscovery {
  if (c.cluster_discovery_type === 'cluster_type') {
    const ct = c.cluster_type!;
    const config = ct.typed_config;
    if (ct.name !== 'envoy.clusters.aggregate' && config?.type_url !== TypeUrl.AGGREGATE_CLUSTER_CONFIG) {
      throw invalidField('cluster_type.name', `unsupported custom cluster type ${ct.name ?? '(none)'}`);
    }
    if (config?.type_url !== TypeUrl.AGGREGATE_CLUSTER_CONFIG) {
      throw invalidField('cluster_type.typed_config', `expected aggregate ClusterConfig, got ${config?.type_url ?? '(none)'}`);
    }
    const agg = decodeMessage<{ clusters?: string[] }>(messageNameOf(TypeUrl.AGGREGATE_CLUSTER_CONFIG), config.value ?? new Uint8Array());
    const children = agg.clusters ?? [];
    if (children.length === 0) throw invalidField('cluster_type.typed_config.clusters', 'must not be empty');
    return { kind: 'aggregate', children: Object.freeze([...children]) };
  }
  // Neither oneof member set is Envoy's default, STATIC (xds-reference §3.2 presence pitfalls).
  const type = c.cluster_discovery_type === 'type' ? String(c.type) : 'STATIC';
  switch (type) {
    case 'EDS': {
      checkAdsSource(c.eds_cluster_config?.eds_config, 'eds_cluster_config.eds_config');
      return { kind: 'eds', serviceName: c.eds_cluster_config?.service_name || name };
    }
    case 'LOGICAL_DNS': {
      const la = c.load_assignment;
      const localities = la?.endpoints ?? [];
      if (localities.length !== 1 || (localities[0]!.lb_endpoints ?? []).length !== 1) {
        throw invalidField('load_assignment', 'LOGICAL_DNS needs exactly one locality with exactly one endpoint');
      }
      // A LOGICAL_DNS locality may have no weight; give it one so the endpoint is used.
      const only = { ...localities[0]!, load_balancing_weight: { value: localities[0]!.load_balancing_weight?.value || 1 } };
      return { kind: 'logicalDns', endpoints: convertLoadAssignment({ ...la, endpoints: [only] }, 'load_assignment') };
    }
    case 'STATIC':
      return { kind: 'static', endpoints: convertLoadAssignment(c.load_assignment ?? {}, 'load_assignment') };
    default:
      throw invalidField('type', `discovery type ${type} is not supported (EDS, LOGICAL_DNS, STATIC or aggregate)`);
  }
}

/** A decoded CDS Cluster → {@link XdsCluster}, with the validation rules of xds-reference §1.10. */
export function convertCluster(c: WireCluster): XdsCluster {
  const name = c.name ?? '';
  if (!name) throw invalidField('name', 'must not be empty');
  const discovery = convertDiscovery(c, name);
  let lbPolicy: LbPolicy;
  if (c.load_balancing_policy) lbPolicy = selectLoadBalancingPolicy(c.load_balancing_policy, 'load_balancing_policy');
  else lbPolicy = legacyLbPolicy(c);
  if (c.lrs_server && c.lrs_server.config_source_specifier !== 'self') throw invalidField('lrs_server', 'must be self');
  if (c.transport_socket) {
    const ts = c.transport_socket;
    if (ts.name !== 'envoy.transport_sockets.tls') throw invalidField('transport_socket.name', `unsupported ${ts.name ?? '(none)'}`);
    if (ts.typed_config?.type_url !== TypeUrl.UPSTREAM_TLS_CONTEXT) {
      throw invalidField('transport_socket.typed_config', `expected UpstreamTlsContext, got ${ts.typed_config?.type_url ?? '(none)'}`);
    }
  }
  // A32: only the DEFAULT priority threshold's max_requests; 1024 when absent.
  const threshold = (c.circuit_breakers?.thresholds ?? []).find((t) => (t.priority ?? 'DEFAULT') === 'DEFAULT');
  const maxRequests = threshold?.max_requests?.value ?? CLUSTER_DEFAULTS.circuitBreaker.maxRequests;
  const outlierDetection = c.outlier_detection ? convertOutlierDetection(c.outlier_detection, 'outlier_detection') : undefined;
  return Object.freeze({
    name,
    discovery: Object.freeze(discovery),
    lbPolicy,
    ...(outlierDetection ? { outlierDetection } : {}),
    circuitBreaker: maxRequests === CLUSTER_DEFAULTS.circuitBreaker.maxRequests ? CLUSTER_DEFAULTS.circuitBreaker : Object.freeze({ maxRequests }),
  });
}

/** CDS: `envoy.config.cluster.v3.Cluster`. */
export const CLUSTER_RESOURCE: XdsResourceType<XdsCluster> = registerResourceType({
  typeUrl: TypeUrl.CLUSTER,
  kind: 'Cluster',
  allResourcesRequiredInSotW: true,
  decode: (bytes: Uint8Array) =>
    decodeResource<WireCluster, XdsCluster>('envoy.config.cluster.v3.Cluster', bytes, (w) => w.name, convertCluster),
});

