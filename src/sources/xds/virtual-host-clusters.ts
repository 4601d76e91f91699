import type { RouteTable, VirtualHost } from '../../model/route-table';
// The one domain matcher of the SDK (xds-reference §4.1): subscribing by the same rule the router
// routes by means a request for the target never selects a virtual host whose clusters were not
// subscribed. It depends on nothing but the model, so the source stays free of request routing.
import { VirtualHostMatcher } from '../../routing/virtual-host-matcher';

/** Per route table: its domain matcher and, lazily, the cluster names of each virtual host. */
interface TableClusters {
  readonly matcher: VirtualHostMatcher | undefined;
  readonly byHost: (readonly string[] | undefined)[];
}

const NONE: readonly string[] = Object.freeze([]);

/** Route tables are immutable values: what is derived from one is kept for as long as it lives. */
const derived = new WeakMap<RouteTable, TableClusters>();

/** The cluster names one virtual host's routes send to (weighted entries included; header-named clusters cannot be known). */
function clustersOfVirtualHost(vh: VirtualHost): readonly string[] {
  const names = new Set<string>();
  for (const r of vh.routes) {
    if (r.action.kind === 'cluster') names.add(r.action.cluster);
    else if (r.action.kind === 'weightedClusters') for (const c of r.action.clusters) names.add(c.name);
  }
  return Object.freeze([...names]);
}

function tableClusters(table: RouteTable): TableClusters {
  let entry = derived.get(table);
  if (entry === undefined) {
    let matcher: VirtualHostMatcher | undefined;
    try {
      matcher = new VirtualHostMatcher(table.virtualHosts);
    } catch {
      // A table the router cannot use either (a domain in two virtual hosts): nothing to subscribe.
      matcher = undefined;
    }
    entry = { matcher, byHost: [] };
    derived.set(table, entry);
  }
  return entry;
}

/**
 * The clusters a client dialing `authority` can reach through `table`: those of the one virtual
 * host whose domains best match the authority (exact, then longest `*suffix`, then longest
 * `prefix*`, then `*`; case-insensitive; a `:port` in the authority is compared as part of it),
 * as gRPC subscribes them (xds-reference §1.5). No matching virtual host: none.
 */
export function clustersForAuthority(table: RouteTable, authority: string): readonly string[] {
  const entry = tableClusters(table);
  const index = entry.matcher?.match(authority) ?? -1;
  if (index < 0) return NONE;
  let names = entry.byHost[index];
  if (names === undefined) {
    names = clustersOfVirtualHost(table.virtualHosts[index]!);
    entry.byHost[index] = names;
  }
  return names;
}
