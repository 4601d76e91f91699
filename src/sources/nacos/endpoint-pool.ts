import { EMPTY_LOCALITY, formatAddress, type Endpoint, type HealthStatus, type Locality } from '../../model/endpoint';
import { endpointWeight, isRoutable } from './instance-endpoints';
import type { NacosInstance } from './nacos-messages';

/** What one instance list turned into. */
export interface PooledEndpoints {
  /** One endpoint per routable instance, in the order of the list. */
  readonly endpoints: readonly Endpoint[];
  /**
   * False when the list gives exactly the endpoints of the previous one (the same objects, in
   * any order): nothing to publish.
   */
  readonly changed: boolean;
}

/** Labels and locality shared by every endpoint of one Nacos cluster with the same metadata. */
interface Shared {
  readonly labels: Readonly<Record<string, string>>;
  readonly locality: Locality;
}

// Separates the parts of a pool key. JSON (the metadata part) escapes it; Nacos ips and cluster
// names never contain it, so keys of different instances cannot collide.
const SEP = '\u0000';

/**
 * Turns the instance lists of one service into endpoints, reusing the endpoint objects of the
 * previous list for unchanged instances (same ip, port, weight, health, cluster and metadata), so
 * a push that changes one instance of 10,000 creates one endpoint, and sharing one frozen labels
 * object and one locality object among the instances with the same cluster and metadata.
 *
 * The mapping: one endpoint per routable instance (enabled, weight > 0, port 1..65535), weight
 * scaled by {@link endpointWeight}, `healthy` → HEALTHY/UNHEALTHY, locality from metadata
 * `region`/`zone` with the Nacos cluster name as sub-zone, and every metadata entry as a label
 * (plus `nacos.cluster`). Only what the last list used is kept: memory follows the service.
 */
export class InstanceEndpointPool {
  #endpoints = new Map<string, Endpoint>();
  #shared = new Map<string, Shared>();
  #localities = new Map<string, Locality>();
  #count = 0;

  /** The endpoints of a new instance list, and whether they differ from the previous list's. */
  update(instances: readonly NacosInstance[]): PooledEndpoints {
    const previous = this.#endpoints;
    const previousShared = this.#shared;
    const endpoints = new Map<string, Endpoint>();
    const shared = new Map<string, Shared>();
    const out: Endpoint[] = [];
    let reused = 0;
    for (let n = 0; n < instances.length; n++) {
      const i = instances[n]!;
      if (!isRoutable(i) || i.port < 1 || i.port > 65535) continue;
      const sharedKey = i.clusterName + SEP + JSON.stringify(i.metadata);
      const weight = endpointWeight(i.weight);
      const key = i.ip + SEP + i.port + SEP + weight + SEP + (i.healthy ? 'H' : 'U') + SEP + sharedKey;
      let e = endpoints.get(key);
      if (e === undefined) {
        e = previous.get(key);
        if (e !== undefined) {
          reused++;
          if (!shared.has(sharedKey)) shared.set(sharedKey, { labels: e.labels, locality: e.locality });
        } else {
          let s = shared.get(sharedKey) ?? previousShared.get(sharedKey);
          if (s === undefined) s = this.#newShared(i);
          shared.set(sharedKey, s);
          e = createPooledEndpoint(i.ip, i.port, weight, i.healthy ? 'HEALTHY' : 'UNHEALTHY', s);
        }
        endpoints.set(key, e);
      }
      out.push(e);
    }
    const changed = reused !== endpoints.size || endpoints.size !== previous.size || out.length !== this.#count;
    this.#endpoints = endpoints;
    this.#shared = shared;
    this.#count = out.length;
    if (this.#localities.size > 2 * shared.size + 16) this.#localities.clear();
    return { endpoints: out, changed };
  }

  #newShared(i: NacosInstance): Shared {
    const region = i.metadata['region'] ?? '';
    const zone = i.metadata['zone'] ?? '';
    const localityKey = region + SEP + zone + SEP + i.clusterName;
    let locality = this.#localities.get(localityKey);
    if (locality === undefined) {
      locality = region === '' && zone === '' && i.clusterName === '' ? EMPTY_LOCALITY : Object.freeze({ region, zone, subZone: i.clusterName });
      this.#localities.set(localityKey, locality);
    }
    return { labels: Object.freeze({ ...i.metadata, 'nacos.cluster': i.clusterName }), locality };
  }
}

/**
 * A frozen endpoint with the fields (and field order) of `createEndpoint`, but the given labels
 * and locality objects shared instead of copied.
 */
function createPooledEndpoint(host: string, port: number, weight: number, health: HealthStatus, s: Shared): Endpoint {
  return Object.freeze({ host, port, address: formatAddress(host, port), weight, health, locality: s.locality, priority: 0, labels: s.labels });
}
