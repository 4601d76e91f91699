import { LRUCache } from 'lru-cache';

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

/**
 * Parses origins once: requests reuse a few origins, so an LRU keyed by the origin string keeps
 * the per-request cost to a map lookup while bounding memory for apps that call many hosts.
 */
export class OriginTargets {
  readonly #cache = new LRUCache<string, MeshOrigin>({ max: 1024 });
  readonly #targetsOf: TargetsOf;
  /** The last origin looked up (before the LRU): callers send runs of requests to one origin. */
  #lastKey: string | undefined;
  #last: MeshOrigin | undefined;

  constructor(targetsOf: TargetsOf) {
    this.#targetsOf = targetsOf;
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
      parsed = Object.freeze({ protocol: url.protocol, host: url.host, hostname, targets: Object.freeze([...this.#targetsOf(url)]) });
      this.#cache.set(key, parsed);
    }
    this.#lastKey = key;
    this.#last = parsed;
    return parsed;
  }
}
