import type { Cluster, LocalityEndpoints } from '../../model/cluster';
import type { Endpoint } from '../../model/endpoint';
import { isMapping } from '../file/config-reader';
import { serviceRulesToModel, type ServiceRules } from '../file/service-rules';

/**
 * Defaults a Nacos service gets unless its rule sets them: every authority matches (the listener
 * is addressed by its key, not by a host name), and endpoints are picked at random by weight, as
 * the Nacos client's `RandomByWeight` does.
 */
const NACOS_RULE_DEFAULTS = Object.freeze({ domains: ['*'], lbPolicy: 'random' });

/**
 * The listener and clusters of one watched Nacos service: its rule document (mesh.yaml service
 * rules, `undefined` for none) applied to its endpoints. Clusters are `<key>` (all endpoints) and
 * `<key>|<subset>`. Unless the rule sets `localityWeights`, each locality weighs the sum of its
 * endpoint weights, so Nacos weights hold across Nacos clusters and zones. Throws an
 * InvalidConfigError when the rule is invalid.
 */
export function nacosServiceModel(key: string, endpoints: readonly Endpoint[], rule: unknown, fieldPrefix = ''): ServiceRules {
  const doc = rule === undefined || rule === null ? {} : rule;
  const withDefaults = isMapping(doc) ? { ...NACOS_RULE_DEFAULTS, ...doc } : doc;
  const model = serviceRulesToModel(withDefaults, key, endpoints, fieldPrefix);
  if (isMapping(doc) && 'localityWeights' in doc) return model;
  const clusters = new Map<string, Cluster>();
  for (const [name, c] of model.clusters) clusters.set(name, weighLocalitiesByEndpoints(c));
  return { listener: model.listener, clusters };
}

function weighLocalitiesByEndpoints(c: Cluster): Cluster {
  return Object.freeze({
    ...c,
    priorities: Object.freeze(
      c.priorities.map((p) =>
        Object.freeze({
          priority: p.priority,
          localities: Object.freeze(
            p.localities.map(
              (l): LocalityEndpoints =>
                Object.freeze({ ...l, weight: Math.max(1, l.endpoints.reduce((sum, e) => sum + e.weight, 0)) }),
            ),
          ),
        }),
      ),
    ),
  });
}
