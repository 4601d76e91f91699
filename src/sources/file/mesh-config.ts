import type * as crypto from 'node:crypto';
import type * as fsPromises from 'node:fs/promises';
import { ErrorCode, InvalidConfigError, MeshError } from '../../errors';
import type { Cluster } from '../../model/cluster';
import type { Endpoint } from '../../model/endpoint';
import { freezeSnapshot } from '../../model/freeze-snapshot';
import type { Listener } from '../../model/listener';
import type { MeshSnapshot } from '../../model/mesh-snapshot';
import type { Route, RouteTable } from '../../model/route-table';
import {
  CLUSTER_POLICY_KEYS,
  buildCluster,
  matchesSubset,
  readClusterPolicy,
  readEndpoints,
  type ClusterPolicy,
} from './cluster-schema';
import { ConfigReader, joinPath, readStringList, type ConfigItem } from './config-reader';
import { parseConfigText, type ConfigTextOptions } from './config-text';
import { MATCH_ALL } from './route-match-schema';
import {
  MAX_DURATION_MS,
  checkDomain,
  readRouteTable,
  readRoutes,
  readRetryPolicy,
  type ClusterResolver,
} from './route-schema';

const TOP_KEYS = ['services', 'routeTables', 'listeners', 'clusters'];
const SERVICE_KEYS = ['domains', 'routes', 'retries', 'maxStreamDurationMs'];

/** Options of {@link parseMeshConfig}. */
export type MeshConfigOptions = ConfigTextOptions;

/**
 * Parses a mesh.yaml / mesh.json text into a frozen {@link MeshSnapshot} with every default filled.
 * Throws an {@link InvalidConfigError} naming the field (`clusters.a.endpoints[0].port: must be
 * 1..65535`) or, for syntax errors, the line and column.
 */
export function parseMeshConfig(text: string, options: MeshConfigOptions = {}): MeshSnapshot {
  return meshConfigToSnapshot(parseConfigText(text, options));
}

/** Reads and parses a mesh config file; the format follows the extension (`.json`, else YAML). */
export async function loadMeshConfigFile(path: string): Promise<MeshSnapshot> {
  let text: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    text = await (require('node:fs/promises') as typeof fsPromises).readFile(path, 'utf8');
  } catch (err) {
    throw new MeshError(ErrorCode.SOURCE_FAILURE, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  return parseMeshConfig(text, { source: path });
}

/**
 * Converts an already-parsed mesh config document (plain data, integers as number or bigint) into a
 * frozen snapshot. `fieldPrefix` is prepended to every error path, for documents embedded in
 * another one. The snapshot version is a hash of the content, so an unchanged document keeps its
 * version.
 */
export function meshConfigToSnapshot(value: unknown, fieldPrefix = ''): MeshSnapshot {
  const top = new ConfigReader(value ?? {}, fieldPrefix, TOP_KEYS);
  const clusters = readClusters(top.entries('clusters') ?? []);
  const resolve: ClusterResolver = (name, path) => {
    if (!clusters.has(name)) throw new InvalidConfigError(path, `unknown cluster "${name}"`);
    return name;
  };
  const listeners = new Map<string, Listener>();
  for (const [name, item] of top.entries('services') ?? []) {
    listeners.set(name, { ...readService(name, item, resolve), name });
  }
  const routeTables = new Map<string, RouteTable>();
  for (const [name, item] of top.entries('routeTables') ?? []) routeTables.set(name, readRouteTable(name, item, resolve));
  for (const [name, item] of top.entries('listeners') ?? []) {
    if (listeners.has(name)) throw new InvalidConfigError(item.path, `duplicate listener "${name}" (also a service)`);
    const r = new ConfigReader(item.value, item.path, ['routeTable', 'maxStreamDurationMs']);
    const table = r.requiredString('routeTable');
    if (!routeTables.has(table)) throw new InvalidConfigError(r.pathOf('routeTable'), `unknown route table "${table}"`);
    const cap = r.int('maxStreamDurationMs', 0, MAX_DURATION_MS);
    listeners.set(name, { name, routeTableName: table, ...(cap === undefined ? {} : { maxStreamDurationMs: cap }) });
  }
  return freezeSnapshot({ version: contentVersion(value), listeners, routeTables, clusters });
}

/**
 * A `services.<name>` entry: a listener named `name` with an inline route table holding one virtual
 * host. Without `routes` every request goes to the cluster of the same name.
 */
export function readService(name: string, item: ConfigItem, resolve: ClusterResolver, keys = SERVICE_KEYS): Omit<Listener, 'name'> & { routeTable: RouteTable } {
  const r = new ConfigReader(item.value ?? {}, item.path, keys);
  const domains = r.has('domains') ? readStringList(r.raw('domains'), r.pathOf('domains')) : [name, `${name}:*`];
  if (domains.length === 0) throw new InvalidConfigError(r.pathOf('domains'), 'must not be empty');
  domains.forEach((d, i) => checkDomain(d, joinPath(r.pathOf('domains'), i)));
  const routes: Route[] = r.has('routes')
    ? readRoutes(r.raw('routes'), r.pathOf('routes'), resolve)
    : [{ match: MATCH_ALL, action: { kind: 'cluster', cluster: resolve(name, r.pathOf('routes')) }, hashPolicies: [] }];
  const retryPolicy = r.has('retries') ? readRetryPolicy(r.raw('retries'), r.pathOf('retries')) : undefined;
  const cap = r.int('maxStreamDurationMs', 0, MAX_DURATION_MS);
  return {
    routeTable: { name, virtualHosts: [{ name, domains, routes, ...(retryPolicy ? { retryPolicy } : {}) }] },
    ...(cap === undefined ? {} : { maxStreamDurationMs: cap }),
  };
}

/**
 * The `clusters` mapping. A cluster lists `endpoints`, or is a subset of another: `from` (a cluster
 * with endpoints) and `subset` (labels every selected endpoint must carry); a subset inherits its
 * parent's policy fields unless it sets them.
 */
function readClusters(entries: Array<[string, ConfigItem]>): Map<string, Cluster> {
  const direct = new Map<string, { endpoints: Endpoint[]; policy: ClusterPolicy }>();
  for (const [name, item] of entries) {
    const isSubset = item.value !== null && typeof item.value === 'object' && 'from' in item.value;
    if (isSubset) continue;
    const r = new ConfigReader(item.value ?? {}, item.path, ['endpoints', ...CLUSTER_POLICY_KEYS]);
    direct.set(name, { endpoints: r.has('endpoints') ? readEndpoints(r.raw('endpoints'), r.pathOf('endpoints')) : [], policy: readClusterPolicy(r) });
  }
  const clusters = new Map<string, Cluster>();
  for (const [name, item] of entries) {
    const d = direct.get(name);
    clusters.set(name, d ? buildCluster(name, d.endpoints, d.policy, item.path) : readSubset(name, item, direct));
  }
  return clusters;
}

function readSubset(name: string, item: ConfigItem, direct: ReadonlyMap<string, { endpoints: Endpoint[]; policy: ClusterPolicy }>): Cluster {
  const r = new ConfigReader(item.value, item.path, ['from', 'subset', ...CLUSTER_POLICY_KEYS]);
  const from = r.requiredString('from');
  const parent = direct.get(from);
  if (!parent) throw new InvalidConfigError(r.pathOf('from'), `"${from}" is not a cluster with endpoints (subsets select from one)`);
  const selector = r.stringMap('subset');
  if (!selector) throw new InvalidConfigError(r.pathOf('subset'), 'is required (labels, e.g. { version: v2 })');
  const policy = readClusterPolicy(r, parent.policy);
  return buildCluster(name, parent.endpoints.filter((e) => matchesSubset(e, selector)), policy, item.path, true);
}

/** A version that changes exactly when the content does. */
export function contentVersion(value: unknown): string {
  const canonical = JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  // Required here, not at the top: this module is loaded by the package entry point and node:crypto
  // costs several ms of every app's cold start, used only when a mesh file is parsed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof crypto).createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

