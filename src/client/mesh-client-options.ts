import { InvalidConfigError } from '../errors';
import type { NacosSourceOptions } from '../sources/nacos/nacos-source-options';
import type { Source } from '../sources/source';
import type { XdsSourceOptions } from '../sources/xds/xds-source';

import type { RoutingMode } from '../routing/routing-mode';

/** The file source: a watched mesh.yaml / mesh.json. */
export interface FileSourceConfig {
  /** Path of the file. */
  path: string;
  /** Coalesce bursts of file events for this long before re-reading. Default 100 ms. */
  debounceMs?: number;
}

/** Options of {@link MeshClient}. Validated at construction; invalid options throw `MESH_ERR_INVALID_CONFIG`. */
export interface MeshClientOptions {
  /** A mesh.yaml/json path (or config): the embedded default source. */
  file?: string | FileSourceConfig;
  /**
   * An xDS control plane (istiod or any ADS server): bootstrap from `GRPC_XDS_BOOTSTRAP`,
   * `GRPC_XDS_BOOTSTRAP_CONFIG` or `bootstrap`. `{}` uses the environment. See docs/xds.md.
   */
  xds?: XdsSourceOptions;
  /**
   * A Nacos 2.x cluster over its gRPC protocol: subscribe, pushes, self-registration, canary rules
   * from config. See docs/nacos.md. Validated by the source at construction.
   */
  nacos?: NacosSourceOptions;
  /**
   * Extra sources (see `sidecarless/experimental`), consulted after the built-in ones in the order
   * given.
   */
  sources?: readonly Source[];
  /**
   * Directory for the last good state of every source. Written atomically after each accepted
   * update; loaded at start so `pick()` works when no control plane answers. Default: none.
   */
  cacheDir?: string;
  /**
   * `http` (default): query-parameter matchers apply and `:method`/`:path`/`:authority` are
   * matchable. `grpc`: gRPC semantics (routes with query matchers never match, `-bin` headers absent).
   */
  routingMode?: RoutingMode;
  /** Default timeout of {@link MeshClient.ready}, in ms. Default 10,000. */
  readyTimeoutMs?: number;
  /**
   * How many targets that no source can serve right now (unknown, still being looked up, or said
   * not to exist) the client keeps watching, in least-recently-picked order. Picking one more
   * forgets the least recently picked of them and cancels its watches (the xDS LDS subscription,
   * the Nacos subscription), so a stream of distinct hosts passing through the HTTP integrations
   * grows neither memory nor subscriptions without bound. Targets that resolve are never counted
   * nor forgotten, and neither are targets a pending {@link MeshClient.ready} waits for.
   *
   * Forgotten targets a source said do not exist are remembered by name only (no watch), up to
   * 10 × this many, so later picks of them fail at once with `MESH_ERR_DOES_NOT_EXIST` (requests
   * pass through) instead of subscribing again; that memory is dropped when any source gains a
   * listener. A positive integer; default 1,000.
   */
  maxUnresolvedTargets?: number;
}

/** Options after validation and defaults. */
export interface NormalizedMeshClientOptions {
  readonly file: Readonly<Required<FileSourceConfig>> | undefined;
  readonly xds: XdsSourceOptions | undefined;
  readonly nacos: NacosSourceOptions | undefined;
  readonly sources: readonly Source[];
  readonly cacheDir: string | undefined;
  readonly routingMode: RoutingMode;
  readonly readyTimeoutMs: number;
  readonly maxUnresolvedTargets: number;
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidConfigError(field, 'must be a non-empty string');
  return value;
}

function positiveInt(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidConfigError(field, `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function atLeastOne(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidConfigError(field, `must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

const KNOWN_KEYS = new Set(['file', 'xds', 'nacos', 'sources', 'cacheDir', 'routingMode', 'readyTimeoutMs', 'maxUnresolvedTargets']);

/** Validates and normalises client options (the built-in xds/nacos options are validated by their sources). */
export function normalizeMeshClientOptions(options: MeshClientOptions): NormalizedMeshClientOptions {
  if (options === null || typeof options !== 'object') throw new InvalidConfigError('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) throw new InvalidConfigError(key, 'unknown option');
  }
  let file: Required<FileSourceConfig> | undefined;
  if (options.file !== undefined) {
    const f = typeof options.file === 'string' ? { path: options.file } : options.file;
    if (f === null || typeof f !== 'object') throw new InvalidConfigError('file', 'must be a path or { path }');
    file = Object.freeze({
      path: nonEmptyString(f.path, typeof options.file === 'string' ? 'file' : 'file.path'),
      debounceMs: positiveInt(f.debounceMs, 'file.debounceMs', 100),
    });
  }
  const sources = options.sources ?? [];
  if (!Array.isArray(sources)) throw new InvalidConfigError('sources', 'must be an array of sources');
  sources.forEach((s: unknown, i) => {
    const src = s as Partial<Source> | null;
    if (src === null || typeof src !== 'object' || typeof src.watch !== 'function' || typeof src.scheme !== 'string') {
      throw new InvalidConfigError(`sources[${i}]`, 'must implement the Source interface');
    }
  });
  const routingMode = options.routingMode ?? 'http';
  if (routingMode !== 'http' && routingMode !== 'grpc') {
    throw new InvalidConfigError('routingMode', `must be "http" or "grpc", got ${JSON.stringify(routingMode)}`);
  }
  for (const key of ['xds', 'nacos'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && (value === null || typeof value !== 'object')) throw new InvalidConfigError(key, 'must be an object');
  }
  return Object.freeze({
    file,
    xds: options.xds,
    nacos: options.nacos,
    sources: Object.freeze([...sources]),
    cacheDir: options.cacheDir === undefined ? undefined : nonEmptyString(options.cacheDir, 'cacheDir'),
    routingMode,
    readyTimeoutMs: positiveInt(options.readyTimeoutMs, 'readyTimeoutMs', 10_000),
    maxUnresolvedTargets: atLeastOne(options.maxUnresolvedTargets, 'maxUnresolvedTargets', 1000),
  });
}
