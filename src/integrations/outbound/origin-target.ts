import { LRUCache } from 'lru-cache';
import { InvalidConfigError } from '../../errors';
import { compileMeshHosts, type MeshHosts } from './mesh-hosts';

/** A request origin as the mesh interceptor sees it. */
export interface MeshOrigin {
  /** `http:` or `https:`. */
  readonly protocol: string;
  /** `host[:port]` as written in the URL (default ports dropped): the Host header to keep. */
  readonly host: string;
  /** Host name without port or IPv6 brackets: the TLS server name. */
  readonly hostname: string;
  /** Mesh targets to try in order; empty: never routed by the mesh. */
  readonly targets: readonly string[];
}

const NO_TARGETS: readonly string[] = Object.freeze([]);

/** Maps a parsed origin to the mesh targets to try, in order. */
export type TargetsOf = (origin: URL) => readonly string[];

/**
 * Default target mapping: `host:port` when the URL has an explicit port
 * (`reviews.default.svc.cluster.local:9080`), then the bare host name (`reviews`). IP literals are
 * never mesh targets.
 */
export const defaultTargetsOf: TargetsOf = (origin) => {
  if (origin.hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(origin.hostname)) return [];
  return origin.port === '' ? [origin.hostname] : [origin.host, origin.hostname];
};

/** How an outbound integration (undici, http agents) decides which requests the mesh routes. */
export interface OutboundTargetOptions {
  /**
   * Which hosts are mesh targets (patterns such as `['*.svc.cluster.local', 'reviews']`, or a
   * function of the host name). Requests to other hosts never touch the mesh: no pick, no
   * control-plane subscription, no per-host state. Default: every host is tried (IP literals
   * never are), and hosts the mesh does not know pass through.
   */
  meshHosts?: MeshHosts;
  /**
   * Maps a request's origin to the mesh targets to try, in order; the first the mesh knows routes
   * the request, and when none is known the request passes through untouched. Applies to hosts
   * `meshHosts` lets through. Default: `host:port` when the URL has an explicit port, then the
   * host name; IP literals are never routed.
   */
  targetsOf?: TargetsOf;
}

/**
 * Validates the target options of an outbound integration and builds its origin cache.
 * @throws InvalidConfigError naming `targetsOf` or `meshHosts` (`meshHosts[2]`).
 */
export function createOriginTargets(options: OutboundTargetOptions): OriginTargets {
  if (options.targetsOf !== undefined && typeof options.targetsOf !== 'function') {
    throw new InvalidConfigError('targetsOf', 'must be a function (origin: URL) => string[]');
  }
  return new OriginTargets(options.targetsOf ?? defaultTargetsOf, compileMeshHosts(options.meshHosts));
}

/**
 * Parses origins once: requests reuse a few origins, so an LRU keyed by the origin string keeps
 * the per-request cost to a map lookup while bounding memory for apps that call many hosts.
 */
export class OriginTargets {
  readonly #cache = new LRUCache<string, MeshOrigin>({ max: 1024 });
  readonly #targetsOf: TargetsOf;
  readonly #isMeshHost: ((hostname: string) => boolean) | undefined;
  /** The last origin looked up (before the LRU): callers send runs of requests to one origin. */
  #lastKey: string | undefined;
  #last: MeshOrigin | undefined;

  /**
   * @param targetsOf the mesh targets of an origin.
   * @param isMeshHost when given, origins whose host name it rejects get no targets (never routed).
   */
  constructor(targetsOf: TargetsOf, isMeshHost?: (hostname: string) => boolean) {
    this.#targetsOf = targetsOf;
    this.#isMeshHost = isMeshHost;
  }

  /** The parsed origin, or undefined when it is not an http(s) URL. */
  get(origin: string | URL): MeshOrigin | undefined {
    const key = typeof origin === 'string' ? origin : origin.href;
    if (key === this.#lastKey) return this.#last;
    let parsed = this.#cache.get(key);
    if (parsed === undefined) {
      let url: URL;
      try {
        url = typeof origin === 'string' ? new URL(origin) : origin;
      } catch {
        return undefined;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const targets = this.#isMeshHost === undefined || this.#isMeshHost(hostname) ? this.#targetsOf(url) : NO_TARGETS;
      parsed = Object.freeze({ protocol: url.protocol, host: url.host, hostname, targets: Object.freeze([...targets]) });
      this.#cache.set(key, parsed);
    }
    this.#lastKey = key;
    this.#last = parsed;
    return parsed;
  }
}
