import { MeshClient } from '../../../src/client/mesh-client';
import { createCluster, type ClusterInit } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../../src/model/mesh-snapshot';
import type { HeaderMatcher, RetryPolicy, Route, RouteAction } from '../../../src/model/route-table';
import { StaticSource } from '../../../src/sources/static/static-source';

/** One cluster of the test mesh: its endpoints as loopback ports (or host:port pairs). */
export interface TestCluster {
  name: string;
  ports: Array<number | { host: string; port: number; labels?: Record<string, string> }>;
  init?: Omit<ClusterInit, 'name' | 'endpoints'>;
}

/** One route of the test mesh. */
export interface TestRoute {
  prefix?: string;
  /** Match requests with this header equal to this value. */
  header?: { name: string; value: string };
  action: RouteAction;
  timeoutMs?: number;
  retryPolicy?: RetryPolicy;
}

/** A test service: its name (target), routes and clusters. */
export interface TestService {
  target: string;
  routes: TestRoute[];
}

/** A retry policy with defaults, for tests. */
export function retryPolicy(init: Partial<RetryPolicy> & { retryOn: string[] }): RetryPolicy {
  return { numRetries: 1, retriableStatusCodes: [], baseIntervalMs: 1, maxIntervalMs: 5, ...init };
}

function toRoute(r: TestRoute): Route {
  const headers: HeaderMatcher[] = r.header
    ? [{ name: r.header.name, match: { kind: 'string', matcher: { kind: 'exact', value: r.header.value, ignoreCase: false } }, invert: false, treatMissingAsEmpty: false }]
    : [];
  return {
    match: { path: { kind: 'prefix', value: r.prefix ?? '/' }, caseSensitive: true, headers, queryParameters: [] },
    action: r.action,
    hashPolicies: [],
    ...(r.timeoutMs === undefined ? {} : { timeoutMs: r.timeoutMs }),
    ...(r.retryPolicy === undefined ? {} : { retryPolicy: r.retryPolicy }),
  };
}

/** Builds a snapshot of services (inline route tables, every domain) and clusters. */
export function testSnapshot(services: TestService[], clusters: TestCluster[], version = '1'): MeshSnapshot {
  return createMeshSnapshot({
    version,
    listeners: services.map((s) => ({
      name: s.target,
      routeTable: { name: s.target, virtualHosts: [{ name: s.target, domains: ['*'], routes: s.routes.map(toRoute) }] },
    })),
    clusters: clusters.map((c) =>
      createCluster({
        name: c.name,
        ...c.init,
        endpoints: c.ports.map((p) =>
          typeof p === 'number' ? createEndpoint({ host: '127.0.0.1', port: p }) : createEndpoint(p),
        ),
      }),
    ),
  });
}

/** A ready MeshClient over a StaticSource holding `snapshot`; `source.set()` changes it live. */
export async function testMesh(snapshot: MeshSnapshot): Promise<{ mesh: MeshClient; source: StaticSource }> {
  const source = new StaticSource(snapshot);
  const mesh = new MeshClient({ sources: [source] });
  await mesh.ready();
  return { mesh, source };
}

/** Routes and clusters of a header canary: `x-canary: true` → cluster v2, everything else → v1. */
export function headerCanary(v1Port: number, v2Port: number): [TestRoute[], TestCluster[]] {
  return [
    [
      { header: { name: 'x-canary', value: 'true' }, action: { kind: 'cluster', cluster: 'v2' } },
      { action: { kind: 'cluster', cluster: 'v1' } },
    ],
    [
      { name: 'v1', ports: [v1Port] },
      { name: 'v2', ports: [v2Port] },
    ],
  ];
}
