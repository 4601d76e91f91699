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
  /** The last list's endpoints by host (one of its ports), and by address for the host's other ports. */
  #byHost = new Map<string, Endpoint>();
  #byAddress = new Map<string, Endpoint>();
  #count = 0;
  #distinct = 0;
  /** Labels and locality by cluster and metadata JSON; cleared when it outgrows the service. */
  readonly #shared = new Map<string, Shared>();
  readonly #localities = new Map<string, Locality>();
  /** The last few shared entries used, most recent first. */
  #recent: Shared[] = [];

  /** The endpoints of a new instance list, and whether they differ from the previous list's. */
  update(instances: readonly NacosInstance[]): PooledEndpoints {
    const previousByHost = this.#byHost;
    const previousByAddress = this.#byAddress;
    const byHost = new Map<string, Endpoint>();
    const byAddress = new Map<string, Endpoint>();
    const out: Endpoint[] = [];
    let created = 0;
    for (let n = 0; n < instances.length; n++) {
      const i = instances[n]!;
      if (!isRoutable(i) || i.port < 1 || i.port > 65535) continue;
      const weight = endpointWeight(i.weight);
      const health: HealthStatus = i.healthy ? 'HEALTHY' : 'UNHEALTHY';
      // Keyed by host first: no per-instance key string to build and hash.
      let e = previousByHost.get(i.ip);
      if (e !== undefined && e.port !== i.port) e = previousByAddress.get(formatAddress(i.ip, i.port));
      if (e === undefined || !sameInstance(e, i, weight, health)) {
        e = createPooledEndpoint(i.ip, i.port, weight, health, this.#sharedFor(i));
        created++;
      }
      const first = byHost.get(i.ip);
      if (first === undefined) byHost.set(i.ip, e);
      else if (first !== e) byAddress.set(e.address, e);
      out.push(e);
    }
    const distinct = byHost.size + byAddress.size;
    // Unchanged: nothing new, and as many distinct endpoints (all reused) and entries as before.
    const changed = created > 0 || distinct !== this.#distinct || out.length !== this.#count;
    this.#byHost = byHost;
    this.#byAddress = byAddress;
    this.#count = out.length;
    this.#distinct = distinct;
    if (this.#shared.size > 2 * distinct + 64) {
      this.#shared.clear();
      this.#localities.clear();
      this.#recent = [];
    }
    return { endpoints: out, changed };
  }

  #sharedFor(i: NacosInstance): Shared {
    // Most instances share their metadata with one of the last few (versions × zones): compare
    // with those first, no key to build.
    const recent = this.#recent;
    for (let n = 0; n < recent.length; n++) {
      const r = recent[n]!;
      if (sameLabels(r.labels, i.metadata, i.clusterName)) return r;
    }
    // Two JSON texts side by side: unambiguous whatever the strings contain.
    const key = JSON.stringify(i.clusterName) + JSON.stringify(i.metadata);
    let s = this.#shared.get(key);
    if (s === undefined) {
      const region = i.metadata['region'] ?? '';
      const zone = i.metadata['zone'] ?? '';
      const locality = region === '' && zone === '' && i.clusterName === '' ? EMPTY_LOCALITY : this.#locality(region, zone, i.clusterName);
      s = { labels: Object.freeze({ ...i.metadata, [CLUSTER_LABEL]: i.clusterName }), locality };
      this.#shared.set(key, s);
    }
    if (recent.length === RECENT) recent.pop();
    recent.unshift(s);
    return s;
  }

  /** Several metadata sets share a locality (e.g. versions within a zone): one object for them. */
  #locality(region: string, zone: string, subZone: string): Locality {
    const key = JSON.stringify([region, zone, subZone]);
    let l = this.#localities.get(key);
    if (l === undefined) {
      l = Object.freeze({ region, zone, subZone });
      this.#localities.set(key, l);
    }
    return l;
  }
}

/** The label holding the Nacos cluster name of an instance. */
const CLUSTER_LABEL = 'nacos.cluster';

/** How many recently used shared entries {@link InstanceEndpointPool} compares before hashing. */
const RECENT = 4;

/** Whether a pooled endpoint still stands for the instance (same address checked by the caller). */
function sameInstance(e: Endpoint, i: NacosInstance, weight: number, health: HealthStatus): boolean {
  return e.port === i.port && e.weight === weight && e.health === health && sameLabels(e.labels, i.metadata, i.clusterName);
}

/** Whether labels are those of the metadata and cluster name: each entry and no other. */
function sameLabels(labels: Readonly<Record<string, string>>, metadata: Readonly<Record<string, string>>, clusterName: string): boolean {
  if (labels[CLUSTER_LABEL] !== clusterName) return false;
  let n = 0;
  for (const k in metadata) {
    if (k === CLUSTER_LABEL) continue;
    if (labels[k] !== metadata[k]) return false;
    n++;
  }
  let m = 0;
  for (const k in labels) if (k !== CLUSTER_LABEL) m++;
  return m === n;
}

/**
 * A frozen endpoint with the fields (and field order) of `createEndpoint`, but the given labels
 * and locality objects shared instead of copied.
 */
function createPooledEndpoint(host: string, port: number, weight: number, health: HealthStatus, s: Shared): Endpoint {
  return Object.freeze({ host, port, address: formatAddress(host, port), weight, health, locality: s.locality, priority: 0, labels: s.labels });
}
