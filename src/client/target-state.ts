import type { ClusterBalancer } from '../balancing/balancer';
import type { Listener } from '../model/listener';
import type { RouteTable } from '../model/route-table';
import type { Router } from '../routing/router';
import type { Source } from '../sources/source';
import type { PickFailure } from './pick-result';

/**
 * What the client knows about one pick target (keyed by the string the user passed). Mutated only
 * when a source's snapshot changes; `pick` reads it without allocation.
 */
export interface TargetState {
  readonly target: string;
  /** Name within the source; also the default authority. */
  readonly name: string;
  /** Sources that may serve the target (one when the scheme is explicit), with their listener keys. */
  readonly candidates: ReadonlyArray<{ readonly source: Source; readonly listenerKey: string }>;
  /** The source currently serving it. */
  source: Source | undefined;
  listener: Listener | undefined;
  routeTable: RouteTable | undefined;
  router: Router | undefined;
  /** The balancers of the serving source, by cluster name. */
  balancers: ReadonlyMap<string, ClusterBalancer>;
  /** Returned while the target has no router. */
  unavailable: PickFailure;
  /** Returned when no virtual host / route matches. */
  readonly noRoute: PickFailure;
  /** Returned for a route whose action does not forward. */
  readonly nonForwarding: PickFailure;
  /** Pending `ready()` calls waiting for the target; while any, it is never forgotten. */
  pins: number;
}
