import { InvalidConfigError } from '../../errors';
import type { Cluster } from '../../model/cluster';
import type { Endpoint } from '../../model/endpoint';
import { deepFreeze, FrozenMap } from '../../model/freeze-snapshot';
import type { Listener } from '../../model/listener';
import { CLUSTER_POLICY_KEYS, buildCluster, matchesSubset, readClusterPolicy } from './cluster-schema';
import { ConfigReader, readStringMap } from './config-reader';
import { parseConfigText, type ConfigTextOptions } from './config-text';
import { readService } from './mesh-config';

const RULE_KEYS = ['routes', 'subsets', 'domains', 'retries', 'maxStreamDurationMs', ...CLUSTER_POLICY_KEYS];

/** What one service's rules produce: its listener (inline route table) and its clusters. */
export interface ServiceRules {
  /** Named after the service; its one virtual host routes to the clusters below. */
  readonly listener: Listener;
  /** The service's own cluster (all endpoints, named after the service) and one per subset. */
  readonly clusters: ReadonlyMap<string, Cluster>;
}

/** The cluster name of a subset of a service: `reviews|v2`. */
export function subsetClusterName(service: string, subset: string): string {
  return `${service}|${subset}`;
}

/**
 * Parses one service's canary rules (as stored in Nacos config) and applies them to the service's
 * current endpoints. A rule document has `routes` (as in mesh.yaml, but `cluster` names a subset,
 * or the service itself for all endpoints), `subsets` (`{ v2: { version: v2 } }`: subset name →
 * labels), the cluster policy fields (`lbPolicy`, `outlierDetection`, `circuitBreaker`,
 * `dropOverloads`, `localityWeighting`, `localityWeights`) shared by every subset, and optionally
 * `domains`, `retries`, `maxStreamDurationMs`. Throws an {@link InvalidConfigError}.
 */
export function parseServiceRules(
  text: string,
  serviceName: string,
  endpoints: readonly Endpoint[],
  options: ConfigTextOptions = {},
): ServiceRules {
  return serviceRulesToModel(parseConfigText(text, options), serviceName, endpoints);
}

/** {@link parseServiceRules} for an already-parsed document; `fieldPrefix` prefixes error paths. */
export function serviceRulesToModel(
  value: unknown,
  serviceName: string,
  endpoints: readonly Endpoint[],
  fieldPrefix = '',
): ServiceRules {
  const r = new ConfigReader(value ?? {}, fieldPrefix, RULE_KEYS);
  const policy = readClusterPolicy(r);
  const clusters = new Map<string, Cluster>();
  // Endpoints come from the registry, not from the user: gaps in priorities are compacted, not errors.
  clusters.set(serviceName, buildCluster(serviceName, endpoints, policy, fieldPrefix, true));
  for (const [subset, item] of r.entries('subsets') ?? []) {
    if (subset === serviceName) throw new InvalidConfigError(item.path, 'a subset must not be named after its service');
    const labels = readStringMap(item.value ?? {}, item.path);
    const name = subsetClusterName(serviceName, subset);
    clusters.set(name, buildCluster(name, endpoints.filter((e) => matchesSubset(e, labels)), policy, item.path, true));
  }
  const service = readService(
    serviceName,
    { value: stripClusterFields(value), path: fieldPrefix },
    (written, path) => {
      const name = written === serviceName ? serviceName : subsetClusterName(serviceName, written);
      if (!clusters.has(name)) throw new InvalidConfigError(path, `unknown subset "${written}"`);
      return name;
    },
  );
  return deepFreeze({ listener: { ...service, name: serviceName }, clusters: new FrozenMap(clusters) });
}

/** The rule document without the keys the service reader does not know. */
function stripClusterFields(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'subsets' && !CLUSTER_POLICY_KEYS.includes(k)) out[k] = v;
  }
  return out;
}
