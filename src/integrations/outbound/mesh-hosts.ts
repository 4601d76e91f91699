import { InvalidConfigError } from '../../errors';
import { validateDomain, VirtualHostMatcher } from '../../routing/virtual-host-matcher';

/**
 * Which request hosts are mesh targets. Hosts it excludes never touch the mesh: no pick, no
 * subscription, the request goes out untouched.
 *
 * - A list of patterns, matched against the URL's host name (no port, lower case) with the
 *   virtual-host domain rules (xds-reference §4.1): `reviews` (exact), `*.svc.cluster.local`
 *   (any host ending in `.svc.cluster.local`), `reviews-*` (any host starting with `reviews-`),
 *   `*` (every host). A wildcard matches at least one character.
 * - Or a function of the host name returning true for mesh hosts.
 */
export type MeshHosts = readonly string[] | ((hostname: string) => boolean);

/**
 * Compiles a {@link MeshHosts} option into a predicate of the host name; undefined (every host is
 * a candidate) when the option is not set.
 * @throws InvalidConfigError naming `field` (or `field[i]`) for a value that is neither a list of
 * valid patterns nor a function.
 */
export function compileMeshHosts(option: MeshHosts | undefined, field = 'meshHosts'): ((hostname: string) => boolean) | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'function') return option;
  if (!Array.isArray(option)) throw new InvalidConfigError(field, 'must be a list of host patterns or a function (hostname) => boolean');
  const patterns = new Set<string>();
  option.forEach((pattern: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof pattern !== 'string') throw new InvalidConfigError(at, 'must be a string');
    validateDomain(pattern, at);
    patterns.add(pattern.toLowerCase()); // repeats are harmless here, unlike in a route table
  });
  if (patterns.size === 0) return () => false;
  // Each pattern as its own "virtual host": a match of any of them makes the host a mesh host.
  const matcher = new VirtualHostMatcher([...patterns].map((p) => ({ domains: [p] })), field);
  return (hostname) => matcher.match(hostname) >= 0;
}
