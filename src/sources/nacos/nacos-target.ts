import { groupProblem, namespaceProblem, serviceNameProblem } from './name-rules';

/** A watched Nacos service, parsed from `[namespace/][group/]service`. */
export interface NacosTarget {
  readonly namespace: string;
  readonly group: string;
  readonly service: string;
  /** The listener key in the source's snapshot: `nacos://<namespace>/<group>/<service>`. */
  readonly key: string;
}

/** The listener key of a service. */
export function nacosTargetKey(namespace: string, group: string, service: string): string {
  return `nacos://${namespace}/${group}/${service}`;
}

/**
 * Parses a watch target: `service`, `group/service` or `namespace/group/service` (an optional
 * `nacos://` prefix is ignored), filling the defaults. Returns undefined when a part breaks the
 * Nacos parameter rules, i.e. when this source cannot serve the name.
 */
export function parseNacosTarget(target: string, defaults: { namespace: string; group: string }): NacosTarget | undefined {
  const text = target.startsWith('nacos://') ? target.slice('nacos://'.length) : target;
  const parts = text.split('/');
  if (parts.length > 3) return undefined;
  const service = parts[parts.length - 1]!;
  const group = parts.length >= 2 ? parts[parts.length - 2]! : defaults.group;
  const namespace = parts.length === 3 ? parts[0]! : defaults.namespace;
  if (serviceNameProblem(service) || groupProblem(group) || namespaceProblem(namespace)) return undefined;
  return Object.freeze({ namespace, group, service, key: nacosTargetKey(namespace, group, service) });
}
