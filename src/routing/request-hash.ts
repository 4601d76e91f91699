import { InvalidConfigError } from '../errors';
import { requestValueHashes } from '../hashing/hash-memo';
import type { HashPolicy } from '../model/route-table';
import { findCookie } from './cookie';
import { readHeader } from './header-value';
import { findQueryParameter } from './query-string';
import type { RequestContext } from './request-context';
import type { RoutingMode } from './routing-mode';
import { compileRegexRewrite, type RegexRewrite } from './safe-regex';

const MASK64 = 0xffffffffffffffffn;

/** Rotates a 64-bit value left by one bit. */
export function rotl64By1(x: bigint): bigint {
  return ((x << 1n) | (x >> 63n)) & MASK64;
}

const HEADER = 0;
const COOKIE = 1;
const QUERY = 2;
const CHANNEL = 3;

interface CompiledPolicy {
  readonly kind: typeof HEADER | typeof COOKIE | typeof QUERY | typeof CHANNEL;
  readonly name: string;
  readonly terminal: boolean;
  readonly rewrite: RegexRewrite | undefined;
}

function compilePolicy(policy: HashPolicy, field: string): CompiledPolicy {
  const terminal = policy.terminal === true;
  switch (policy.kind) {
    case 'header': {
      if (typeof policy.name !== 'string' || policy.name === '') {
        throw new InvalidConfigError(`${field}.name`, 'must be a non-empty header name');
      }
      const rw = policy.regexRewrite;
      const rewrite = rw === undefined ? undefined : compileRegexRewrite(rw.regex, rw.substitution, `${field}.regexRewrite`);
      return { kind: HEADER, name: policy.name.toLowerCase(), terminal, rewrite };
    }
    case 'cookie':
    case 'queryParameter':
      if (typeof policy.name !== 'string' || policy.name === '') {
        throw new InvalidConfigError(`${field}.name`, `must be a non-empty ${policy.kind === 'cookie' ? 'cookie' : 'parameter'} name`);
      }
      return { kind: policy.kind === 'cookie' ? COOKIE : QUERY, name: policy.name, terminal, rewrite: undefined };
    case 'channelId':
      return { kind: CHANNEL, name: '', terminal, rewrite: undefined };
  }
  throw new InvalidConfigError(`${field}.kind`, `unknown hash policy ${JSON.stringify((policy as { kind: unknown }).kind)}`);
}

/**
 * The request hash of a route's hash policies (xds-reference §4.6, gRFC A42). Policies are tried in
 * order; each yields XXH64 (seed 0) of its input or nothing:
 * - `header`: the header value (values joined with `,`; `-bin` headers absent), after the optional
 *   `regexRewrite` (every match replaced);
 * - `cookie` (HTTP mode): the cookie's value from the `cookie` header;
 * - `queryParameter` (HTTP mode): the first value of the parameter;
 * - `channelId`: the router's per-client 64-bit value, as is (gRPC `io.grpc.channel_id`).
 * Results combine as `hash = rotl64(hash, 1) XOR h`; a `terminal` policy stops the walk once a hash
 * exists. When nothing produced a hash the result is undefined and the balancer uses a random one.
 */
export class RequestHasher {
  readonly #policies: readonly CompiledPolicy[];
  readonly #mode: RoutingMode;
  readonly #channelId: bigint;

  /**
   * @param channelId the per-client value for `channelId` policies (unsigned 64-bit).
   * @param field the config field of the policy list, e.g. `virtualHosts[0].routes[0].hashPolicies`.
   * @throws InvalidConfigError naming `field[i]` for an empty name or an invalid regex rewrite.
   */
  constructor(policies: readonly HashPolicy[], mode: RoutingMode, channelId: bigint, field: string) {
    this.#policies = policies.map((p, i) => compilePolicy(p, `${field}[${i}]`));
    this.#mode = mode;
    this.#channelId = channelId & MASK64;
  }

  /** Whether there are no policies (the hash is then always undefined). */
  get isEmpty(): boolean {
    return this.#policies.length === 0;
  }

  /** The request hash, or undefined when no policy produced one. Never throws. */
  hash(ctx: RequestContext): bigint | undefined {
    let hash: bigint | undefined;
    for (const p of this.#policies) {
      const h = this.#policyHash(p, ctx);
      if (h !== undefined) hash = hash === undefined ? h : rotl64By1(hash) ^ h;
      if (p.terminal && hash !== undefined) break;
    }
    return hash;
  }

  #policyHash(p: CompiledPolicy, ctx: RequestContext): bigint | undefined {
    switch (p.kind) {
      case HEADER: {
        const value = readHeader(ctx, undefined, p.name, this.#mode);
        if (value === undefined) return undefined;
        return requestValueHashes.hash(p.rewrite === undefined ? value : p.rewrite.replaceAll(value));
      }
      case COOKIE: {
        if (this.#mode !== 'http') return undefined;
        const value = findCookie(ctx.headers?.['cookie'], p.name);
        return value === undefined ? undefined : requestValueHashes.hash(value);
      }
      case QUERY: {
        if (this.#mode !== 'http' || ctx.path === undefined) return undefined;
        const value = findQueryParameter(ctx.path, p.name);
        return value === undefined ? undefined : requestValueHashes.hash(value);
      }
      case CHANNEL:
        return this.#channelId;
    }
  }
}
