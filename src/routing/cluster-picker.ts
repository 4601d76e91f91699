import { InvalidConfigError } from '../errors';
import type { RouteAction } from '../model/route-table';
import { readHeader } from './header-value';
import type { RequestContext } from './request-context';
import type { RoutingMode } from './routing-mode';
import { WeightedClusterPicker } from './weighted-cluster-picker';

/** Chooses the cluster of one request for a route's action. Never throws. */
export interface ClusterPicker {
  /**
   * The cluster name, or undefined when the action names none for this request.
   * @param random uniform in [0, 1); undefined means the built-in non-allocating generator.
   */
  pick(ctx: RequestContext, random: (() => number) | undefined): string | undefined;
}

class FixedClusterPicker implements ClusterPicker {
  readonly #cluster: string;
  constructor(cluster: string) {
    this.#cluster = cluster;
  }
  pick(): string {
    return this.#cluster;
  }
}

class WeightedClusterAdapter implements ClusterPicker {
  readonly #picker: WeightedClusterPicker;
  constructor(picker: WeightedClusterPicker) {
    this.#picker = picker;
  }
  pick(_ctx: RequestContext, random: (() => number) | undefined): string {
    return this.#picker.pick(random);
  }
}

// Envoy `cluster_header`: the request names its cluster. A missing (or empty) header names none;
// an unknown name is the caller's to reject, as it alone knows which clusters exist.
class ClusterHeaderPicker implements ClusterPicker {
  readonly #header: string;
  readonly #mode: RoutingMode;
  constructor(header: string, mode: RoutingMode) {
    this.#header = header;
    this.#mode = mode;
  }
  pick(ctx: RequestContext): string | undefined {
    const value = readHeader(ctx, undefined, this.#header, this.#mode);
    return value === '' ? undefined : value;
  }
}

const NO_CLUSTER: ClusterPicker = { pick: () => undefined };

/**
 * Compiles a route action into a cluster picker: a fixed cluster, a weighted draw, the value of a
 * request header, or nothing for non-forwarding actions.
 * @param field the config field of the action, e.g. `virtualHosts[0].routes[3].action`.
 * @throws InvalidConfigError naming the field for an empty cluster or header name, or invalid weights.
 */
export function compileClusterPicker(action: RouteAction, mode: RoutingMode, field: string): ClusterPicker {
  switch (action.kind) {
    case 'cluster':
      if (typeof action.cluster !== 'string' || action.cluster === '') {
        throw new InvalidConfigError(`${field}.cluster`, 'must be a non-empty cluster name');
      }
      return new FixedClusterPicker(action.cluster);
    case 'weightedClusters':
      return new WeightedClusterAdapter(new WeightedClusterPicker(action.clusters, `${field}.clusters`));
    case 'clusterHeader':
      if (typeof action.header !== 'string' || action.header === '') {
        throw new InvalidConfigError(`${field}.header`, 'must be a non-empty header name');
      }
      return new ClusterHeaderPicker(action.header.toLowerCase(), mode);
    case 'nonForwarding':
      return NO_CLUSTER;
  }
  throw new InvalidConfigError(`${field}.kind`, `unknown route action ${JSON.stringify((action as { kind: unknown }).kind)}`);
}
