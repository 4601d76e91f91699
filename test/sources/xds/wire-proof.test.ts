import * as assert from 'node:assert/strict';
import { CLUSTER_LOAD_ASSIGNMENT_RESOURCE } from '../../../src/sources/xds/resources/cluster-load-assignment-resource';
import { CLUSTER_RESOURCE } from '../../../src/sources/xds/resources/cluster-resource';
import { LISTENER_RESOURCE } from '../../../src/sources/xds/resources/listener-resource';
import { ROUTE_CONFIGURATION_RESOURCE } from '../../../src/sources/xds/resources/route-configuration-resource';
import { TypeUrl } from '../../../src/sources/xds/type-urls';
import { XdsSource } from '../../../src/sources/xds/xds-source';
import { XdsControlPlane } from '../../../src/testing/xds-control-plane';
import { upstreamAny, upstreamDecode, upstreamEncode } from './upstream-protos';
import { canarySnapshot, snapshotWhere } from './xds-test-kit';

const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ISTIO_RDS = 'outbound|9080||reviews.default.svc.cluster.local';
const V1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const V2 = 'outbound|9080|v2|reviews.default.svc.cluster.local';

/** What istiod's proxyless generator sends for `reviews:9080` (xds-reference §6.3–6.4). */
function istioListener(): object {
  return {
    name: 'reviews:9080',
    address: { socket_address: { address: '10.96.0.10', port_value: 9080 } },
    api_listener: {
      api_listener: upstreamAny(HCM, {
        http_filters: [
          { name: 'envoy.filters.http.fault', typed_config: upstreamAny('envoy.extensions.filters.http.fault.v3.HTTPFault', {}) },
          { name: 'envoy.filters.http.router', typed_config: upstreamAny('envoy.extensions.filters.http.router.v3.Router', {}) },
        ],
        rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: ISTIO_RDS },
        stat_prefix: 'ignored-by-us',
      }),
    },
  };
}

function istioRoutes(): object {
  return {
    name: ISTIO_RDS,
    virtual_hosts: [
      {
        name: 'reviews.default.svc.cluster.local:9080',
        domains: ['reviews.default.svc.cluster.local', 'reviews.default.svc.cluster.local:9080', 'reviews', 'reviews:9080'],
        routes: [
          {
            match: {
              prefix: '/',
              headers: [
                { name: 'x-env', string_match: { exact: 'canary' }, invert_match: true },
                { name: 'x-n', range_match: { start: '10', end: '20' } },
              ],
            },
            route: {
              weighted_clusters: { clusters: [{ name: V1, weight: { value: 90 } }, { name: V2, weight: { value: 10 } }, { name: 'zero', weight: { value: 0 } }] },
              timeout: { seconds: '0' },
              max_stream_duration: { max_stream_duration: { seconds: '2' } },
              retry_policy: {
                retry_on: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
                num_retries: { value: 2 },
                host_selection_retry_max_attempts: '5',
              },
              hash_policy: [{ header: { header_name: 'X-User' }, terminal: true }],
            },
            typed_per_filter_config: {
              'envoy.filters.http.fault': upstreamAny('envoy.extensions.filters.http.fault.v3.HTTPFault', {
                abort: { http_status: 503, percentage: { numerator: 1, denominator: 'HUNDRED' } },
              }),
            },
          },
        ],
      },
    ],
  };
}

function istioCluster(name: string): object {
  return {
    name,
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: name },
    lb_policy: 'RING_HASH',
    ring_hash_lb_config: { minimum_ring_size: { value: '2048' }, hash_function: 'XX_HASH' },
    outlier_detection: { consecutive_5xx: { value: 5 }, interval: { seconds: '5' }, base_ejection_time: { seconds: '60' }, max_ejection_percent: { value: 50 } },
    circuit_breakers: { thresholds: [{ priority: 'HIGH', max_requests: { value: 1 } }, { max_requests: { value: 100 }, max_retries: { value: 3 } }] },
    connect_timeout: { seconds: '10' },
    alt_stat_name: 'ignored',
  };
}

function istioEndpoints(name: string): object {
  return {
    cluster_name: name,
    endpoints: [
      {
        locality: { region: 'us', zone: 'us-a' },
        load_balancing_weight: { value: 3 },
        lb_endpoints: [
          {
            endpoint: { address: { socket_address: { address: '10.1.0.1', port_value: 9080 } } },
            health_status: 'HEALTHY',
            load_balancing_weight: { value: 2 },
            metadata: {
              filter_metadata: {
                istio: { fields: { workload: { stringValue: 'reviews-v1;default;reviews;v1;Kubernetes' } } },
                'envoy.lb': { fields: { hash_key: { stringValue: 'pod-a' } } },
              },
            },
          },
          { endpoint: { address: { socket_address: { address: '10.1.0.2', port_value: 9080 } } }, health_status: 'DRAINING' },
        ],
      },
      {
        locality: { region: 'us', zone: 'us-b' },
        lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.1.0.3', port_value: 9080 } } } }],
      },
      {
        locality: { region: 'eu' },
        priority: 1,
        load_balancing_weight: { value: 1 },
        lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.2.0.1', port_value: 9080 } } } }],
      },
    ],
    policy: { drop_overloads: [{ category: 'lb', drop_percentage: { numerator: 20, denominator: 'HUNDRED' } }], overprovisioning_factor: { value: 140 } },
  };
}

describe('wire compatibility with the complete upstream Envoy protos', () => {
  it('decodes an Istio-shaped Listener (fault + router filters, RDS over ADS) with the lean protos', () => {
    const r = LISTENER_RESOURCE.decode(upstreamEncode('envoy.config.listener.v3.Listener', istioListener()));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.value, { name: 'reviews:9080', routeTableName: ISTIO_RDS });
  });

  it('decodes an Istio-shaped RouteConfiguration: weighted clusters, header matchers, retries, hash policy, fault override', () => {
    const r = ROUTE_CONFIGURATION_RESOURCE.decode(upstreamEncode('envoy.config.route.v3.RouteConfiguration', istioRoutes()));
    assert.equal(r.error, undefined);
    const route = r.value!.virtualHosts[0]!.routes[0]!;
    assert.deepEqual(route.action, { kind: 'weightedClusters', clusters: [{ name: V1, weight: 90 }, { name: V2, weight: 10 }] });
    assert.deepEqual(route.match.headers[0], {
      name: 'x-env',
      invert: true,
      treatMissingAsEmpty: false,
      match: { kind: 'string', matcher: { kind: 'exact', value: 'canary', ignoreCase: false } },
    });
    assert.deepEqual(route.match.headers[1]!.match, { kind: 'range', start: 10n, end: 20n });
    assert.equal(route.maxStreamDurationMs, 2000);
    assert.equal(route.timeoutMs, 0);
    assert.equal(route.retryPolicy?.numRetries, 2);
    assert.deepEqual(route.retryPolicy?.retryOn, ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);
    assert.deepEqual(route.hashPolicies, [{ kind: 'header', name: 'x-user', terminal: true }]);
    assert.deepEqual(r.value!.virtualHosts[0]!.domains.slice(2), ['reviews', 'reviews:9080']);
  });

  it('decodes a Cluster with ring hash config, outlier detection and circuit breakers', () => {
    const r = CLUSTER_RESOURCE.decode(upstreamEncode('envoy.config.cluster.v3.Cluster', istioCluster(V1)));
    assert.equal(r.error, undefined);
    const c = r.value!;
    assert.deepEqual(c.discovery, { kind: 'eds', serviceName: V1 });
    assert.deepEqual(c.lbPolicy, { name: 'ring_hash', minRingSize: 2048, maxRingSize: 8_388_608 });
    assert.equal(c.circuitBreaker.maxRequests, 100);
    assert.equal(c.outlierDetection?.intervalMs, 5000);
    assert.equal(c.outlierDetection?.baseEjectionTimeMs, 60_000);
    assert.equal(c.outlierDetection?.maxEjectionTimeMs, 300_000);
    assert.equal(c.outlierDetection?.maxEjectionPercent, 50);
    assert.equal(c.outlierDetection?.successRateEjection?.stdevFactor, 1900);
    assert.equal(c.outlierDetection?.failurePercentageEjection, undefined);
  });

  it('decodes a ClusterLoadAssignment: localities, priorities, health, weights, labels, hash_key, drops', () => {
    const r = CLUSTER_LOAD_ASSIGNMENT_RESOURCE.decode(upstreamEncode('envoy.config.endpoint.v3.ClusterLoadAssignment', istioEndpoints(V1)));
    assert.equal(r.error, undefined);
    const { priorities, dropOverloads } = r.value!;
    assert.equal(priorities.length, 2);
    assert.equal(priorities[0]!.localities.length, 1, 'the locality without weight is dropped');
    const loc = priorities[0]!.localities[0]!;
    assert.equal(loc.weight, 3);
    assert.deepEqual(loc.locality, { region: 'us', zone: 'us-a', subZone: '' });
    const [a, b] = loc.endpoints;
    assert.equal(a!.address, '10.1.0.1:9080');
    assert.equal(a!.weight, 2);
    assert.equal(a!.health, 'HEALTHY');
    assert.deepEqual(a!.labels, { app: 'reviews', version: 'v1' });
    assert.equal(a!.hashKey, 'pod-a');
    assert.equal(b!.health, 'DRAINING');
    assert.equal(priorities[1]!.localities[0]!.endpoints[0]!.priority, 1);
    assert.deepEqual(dropOverloads, [{ category: 'lb', dropPerMillion: 200_000 }]);
  });

  it('NACKs what gRPC NACKs: priority gaps, duplicate localities, MURMUR ring hash', () => {
    const gap = { cluster_name: 'x', endpoints: [{ priority: 2, load_balancing_weight: { value: 1 } }] };
    assert.match(CLUSTER_LOAD_ASSIGNMENT_RESOURCE.decode(upstreamEncode('envoy.config.endpoint.v3.ClusterLoadAssignment', gap)).error!.message, /contiguous/);
    const dup = { cluster_name: 'x', endpoints: [{ locality: { zone: 'a' } }, { locality: { zone: 'a' } }] };
    assert.match(CLUSTER_LOAD_ASSIGNMENT_RESOURCE.decode(upstreamEncode('envoy.config.endpoint.v3.ClusterLoadAssignment', dup)).error!.message, /duplicate locality/);
    const murmur = { ...istioCluster('x'), ring_hash_lb_config: { hash_function: 'MURMUR_HASH_2' } };
    const err = CLUSTER_RESOURCE.decode(upstreamEncode('envoy.config.cluster.v3.Cluster', murmur)).error!;
    assert.equal(err.code, 'MESH_ERR_INVALID_RESOURCE');
    assert.equal(err.field, 'ring_hash_lb_config.hash_function');
  });

  it('selects A52 load_balancing_policy: wrr_locality(client-side WRR) → weighted_round_robin, first supported wins', () => {
    const lbp = (typeName: string, value: object) => ({ typed_extension_config: { name: typeName, typed_config: upstreamAny(typeName, value) } });
    const c = {
      name: 'x',
      type: 'EDS',
      eds_cluster_config: { eds_config: { self: {} } },
      load_balancing_policy: {
        policies: [
          lbp('envoy.extensions.load_balancing_policies.random.v3.Random', {}),
          lbp('envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality', {
            endpoint_picking_policy: {
              policies: [lbp('envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin', { blackout_period: { seconds: '5' } })],
            },
          }),
        ],
      },
    };
    const r = CLUSTER_RESOURCE.decode(upstreamEncode('envoy.config.cluster.v3.Cluster', c));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.value!.lbPolicy, { name: 'weighted_round_robin' });
    assert.deepEqual(r.value!.discovery, { kind: 'eds', serviceName: 'x' });
  });

  it('everything XdsControlPlane sends decodes with the complete upstream protos', async () => {
    const cp = new XdsControlPlane({ snapshot: canarySnapshot() });
    await cp.start();
    const decoded: Record<string, unknown>[] = [];
    cp.on('response', (response) => {
      const bytes = upstreamEncode('envoy.service.discovery.v3.DiscoveryResponse', response);
      const full = upstreamDecode<{ resources?: { type_url: string; value: Buffer }[] }>('envoy.service.discovery.v3.DiscoveryResponse', bytes);
      for (const any of full.resources ?? []) decoded.push(upstreamDecode(any.type_url.split('/')[1]!, any.value));
    });
    const src = new XdsSource({ bootstrap: cp.bootstrap() });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => s.clusters.size === 2);
    await src.close();
    await cp.stop();
    const listener = decoded.find((d) => d.name === 'reviews:9080') as { api_listener: { api_listener: { type_url: string; value: Buffer } } };
    const hcm = upstreamDecode<{ rds: { route_config_name: string }; http_filters: { name: string }[] }>(HCM, listener.api_listener.api_listener.value);
    assert.equal(hcm.rds.route_config_name, 'reviews-routes');
    assert.equal(hcm.http_filters[0]!.name, 'envoy.filters.http.router');
    const cla = decoded.find((d) => d.cluster_name === 'v1') as { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { address: string } } } }[] }[] };
    assert.equal(cla.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address.address, '10.0.0.1');
    const cluster = decoded.find((d) => d.name === 'v2' && d.type === 'EDS') as { eds_cluster_config: { service_name: string } };
    assert.equal(cluster.eds_cluster_config.service_name, 'v2');
    assert.ok(decoded.some((d) => (d as { name?: string }).name === 'reviews-routes'));
  });

  it('31. Istio end-to-end: reviews:9080 → outbound|9080||… → subset clusters v1/v2 at 90/10, fault filter accepted', async () => {
    const cp = new XdsControlPlane();
    await cp.start();
    cp.setRawResource(TypeUrl.LISTENER, 'reviews:9080', upstreamAny('envoy.config.listener.v3.Listener', istioListener()));
    cp.setRawResource(TypeUrl.ROUTE_CONFIGURATION, ISTIO_RDS, upstreamAny('envoy.config.route.v3.RouteConfiguration', istioRoutes()));
    for (const name of [V1, V2]) {
      cp.setRawResource(TypeUrl.CLUSTER, name, upstreamAny('envoy.config.cluster.v3.Cluster', istioCluster(name)));
      cp.setRawResource(TypeUrl.CLUSTER_LOAD_ASSIGNMENT, name, upstreamAny('envoy.config.endpoint.v3.ClusterLoadAssignment', istioEndpoints(name)));
    }
    const src = new XdsSource({
      bootstrap: {
        ...cp.bootstrap(),
        node: {
          id: 'sidecar~10.1.2.3~productpage-7d9f.default~default.svc.cluster.local',
          metadata: { GENERATOR: 'grpc', NAMESPACE: 'default', INSTANCE_IPS: '10.1.2.3', LABELS: { app: 'productpage' } },
        },
      },
    });
    await src.start();
    src.watch('xds:///reviews:9080');
    const snap = await snapshotWhere(src, (s) => s.clusters.size === 2);
    const cds = cp.streams[0]!.requests.filter((r) => r.type_url === TypeUrl.CLUSTER).map((r) => (r as { resource_names?: string[] }).resource_names);
    assert.deepEqual([...(cds[0] ?? [])].sort(), [V1, V2]);
    assert.equal(snap.listeners.get('reviews:9080')!.routeTableName, ISTIO_RDS);
    assert.equal(cp.streams[0]!.nacks.length, 0);
    assert.equal(cp.streams[0]!.node?.metadata?.fields?.GENERATOR?.stringValue, 'grpc');
    await src.close();
    await cp.stop();
  });
});
