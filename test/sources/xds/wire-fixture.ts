import { Type, type Root } from 'protobufjs';
import { messageNameOf } from '../../../src/sources/xds/protos';

/** A small mesh whose xDS resources cover listeners, routes, weighted clusters, ring hash and metadata. */
export const MESH = `
services:
  reviews:
    routes:
      - match: { headers: { x-canary: "true" } }
        route: { cluster: reviews-v2 }
      - route: { weighted: [ { cluster: reviews-v1, weight: 90 }, { cluster: reviews-v2, weight: 10 } ] }
clusters:
  reviews-v1:
    lbPolicy: { ringHash: { minRingSize: 1024 } }
    endpoints: [ { host: 10.0.0.1, port: 9080, labels: { version: v1 } } ]
  reviews-v2:
    endpoints: [ { host: 10.0.0.3, port: 9080, labels: { version: v2 } } ]
`;

/** Calls `visit(messageName, bytes)` for every `Any` of a message type known to `root`, at any depth of a decoded value. */
export function forEachNestedAny(root: Root, value: unknown, visit: (name: string, bytes: Uint8Array) => void): void {
  if (Array.isArray(value)) {
    for (const x of value) forEachNestedAny(root, x, visit);
  } else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const o = value as Record<string, unknown>;
    if (typeof o.type_url === 'string' && o.value instanceof Uint8Array) {
      const inner = messageNameOf(o.type_url);
      if (root.lookup(inner) instanceof Type) visit(inner, o.value);
    }
    for (const x of Object.values(o)) forEachNestedAny(root, x, visit);
  }
}
