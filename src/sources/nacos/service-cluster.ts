import { CLUSTER_DEFAULTS, type Cluster, type LocalityEndpoints } from '../../model/cluster';
import { createEndpoint, localityKey, type Endpoint } from '../../model/endpoint';
import type { Listener } from '../../model/listener';
import type { RouteTable } from '../../model/route-table';
import type { NacosInstance } from './nacos-messages';

/** Nacos weights are doubles; endpoint weights are integers. 1.0 → 100 keeps two decimals. */
export const NACOS_WEIGHT_SCALE = 100;

/** Endpoint weight of a Nacos weight: `round(weight × 100)`, at least 1, at most 1,000,000. */
export function endpointWeight(nacosWeight: number): number {
  return Math.min(1_000_000, Math.max(1, Math.round(nacosWeight * NACOS_WEIGHT_SCALE)));
}

/** Whether Nacos would route to the instance at all: enabled and weight > 0 (Java `selectInstances`). */
export function isRoutable(i: NacosInstance): boolean {
  return i.enabled && i.weight > 0;
}

/** Whether the instance can take traffic now (routable and healthy), as Nacos `ServiceInfo.validate()`. */
export function isUsable(i: NacosInstance): boolean {
  return isRoutable(i) && i.healthy;
}

/**
 * One endpoint per routable instance: weight scaled by {@link endpointWeight}, `healthy` →
 * HEALTHY/UNHEALTHY, locality from metadata `region`/`zone` with the Nacos cluster name as
 * sub-zone, and every metadata entry as a label (plus `nacos.cluster`).
 */
export function instanceEndpoints(instances: readonly NacosInstance[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const i of instances) {
    if (!isRoutable(i) || i.port < 1 || i.port > 65535) continue;
    out.push(
      createEndpoint({
        host: i.ip,
        port: i.port,
        weight: endpointWeight(i.weight),
        health: i.healthy ? 'HEALTHY' : 'UNHEALTHY',
        locality: { region: i.metadata['region'] ?? '', zone: i.metadata['zone'] ?? '', subZone: i.clusterName },
        labels: { ...i.metadata, 'nacos.cluster': i.clusterName },
      }),
    );
  }
  return out;
}

/** Partial cluster settings a rule can override. */
export type ClusterSettings = Partial<Pick<Cluster, 'lbPolicy' | 'outlierDetection' | 'circuitBreaker'>>;

/**
 * A cluster of endpoints, one locality per (region, zone, Nacos cluster), each locality weighted
 * by the sum of its endpoint weights so Nacos weights hold across localities. The default policy
 * is weighted `random`, as the Nacos client's `RandomByWeight`.
 */
export function buildCluster(name: string, endpoints: readonly Endpoint[], settings: ClusterSettings = {}): Cluster {
  const byLocality = new Map<string, { locality: Endpoint['locality']; weight: number; endpoints: Endpoint[] }>();
  for (const e of endpoints) {
    const key = localityKey(e.locality);
    let l = byLocality.get(key);
    if (!l) byLocality.set(key, (l = { locality: e.locality, weight: 0, endpoints: [] }));
    l.weight += e.weight;
    l.endpoints.push(e);
  }
  const localities: LocalityEndpoints[] = [...byLocality.values()].map((l) =>
    Object.freeze({ locality: l.locality, weight: Math.max(1, l.weight), endpoints: Object.freeze(l.endpoints) }),
  );
  return Object.freeze({
    name,
    priorities: localities.length > 0 ? Object.freeze([Object.freeze({ priority: 0, localities: Object.freeze(localities) })]) : Object.freeze([]),
    lbPolicy: settings.lbPolicy ?? Object.freeze({ name: 'random' as const }),
    localityWeighting: CLUSTER_DEFAULTS.localityWeighting,
    ...(settings.outlierDetection ? { outlierDetection: settings.outlierDetection } : {}),
    circuitBreaker: settings.circuitBreaker ?? CLUSTER_DEFAULTS.circuitBreaker,
    dropOverloads: Object.freeze([]),
  });
}

/** A route table with one catch-all route to one cluster. */
export function singleClusterRouteTable(name: string, service: string, cluster: string): RouteTable {
  return Object.freeze({
    name,
    virtualHosts: Object.freeze([
      Object.freeze({
        name: service,
        domains: Object.freeze(['*']),
        routes: Object.freeze([
          Object.freeze({
            match: Object.freeze({ path: Object.freeze({ kind: 'prefix' as const, value: '/' }), caseSensitive: true, headers: [], queryParameters: [] }),
            action: Object.freeze({ kind: 'cluster' as const, cluster }),
            hashPolicies: Object.freeze([]),
          }),
        ]),
      }),
    ]),
  });
}

/** A listener carrying its route table inline. */
export function inlineListener(name: string, routeTable: RouteTable): Listener {
  return Object.freeze({ name, routeTable });
}
