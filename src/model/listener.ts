import type { RouteTable } from './route-table';

/**
 * A target a client can pick for (an xDS Listener, a Nacos service, a mesh.yaml service): it names
 * its route table, or carries one inline.
 */
export interface Listener {
  /** The target name, e.g. `reviews.default.svc.cluster.local:9080` or `reviews`. */
  readonly name: string;
  /** Name of the route table in the snapshot; ignored when `routeTable` is set. */
  readonly routeTableName?: string;
  /** An inline route table. */
  readonly routeTable?: RouteTable;
  /** Default stream-duration cap for routes that set none (HCM `max_stream_duration`). */
  readonly maxStreamDurationMs?: number;
}
