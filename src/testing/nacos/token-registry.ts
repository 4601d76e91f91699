import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import { NacosServerException } from './server-exception';

/** Auth settings of the test server. */
export interface NacosServerAuthOptions {
  /** username → password. */
  readonly users: Readonly<Record<string, string>>;
  /** Token lifetime in seconds (Nacos default 18000). */
  readonly tokenTtlSeconds?: number;
}

/** A successful login. */
export interface LoginResult {
  readonly accessToken: string;
  readonly tokenTtl: number;
  readonly username: string;
}

/**
 * Users and access tokens of the test server (nacos-protocol §4). Tokens are opaque random
 * strings rather than JWTs: clients must treat them as opaque anyway.
 */
export class TokenRegistry {
  readonly #tokens = new Map<string, { username: string; expiresAt: number }>();
  #ttlSeconds: number;
  /** Logins that succeeded, for tests. */
  logins = 0;

  constructor(
    private readonly options: NacosServerAuthOptions,
    private readonly clock: Clock,
  ) {
    this.#ttlSeconds = options.tokenTtlSeconds ?? 18_000;
  }

  /** Checks a password and mints a token; undefined when the user or password is wrong. */
  login(username: string, password: string): LoginResult | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.options.users, username) || this.options.users[username] !== password) {
      return undefined;
    }
    const accessToken = randomBytes(24).toString('base64url');
    this.#tokens.set(accessToken, { username, expiresAt: this.clock.now() + this.#ttlSeconds * 1000 });
    this.logins++;
    return { accessToken, tokenTtl: this.#ttlSeconds, username };
  }

  /** Throws the 403 the default auth plugin produces (§9.4) unless the token is valid now. */
  check(token: string | undefined): void {
    if (!token) throw new NacosServerException(403, 'user not found!', true);
    const t = this.#tokens.get(token);
    if (!t) throw new NacosServerException(403, 'token invalid!', true);
    if (this.clock.now() >= t.expiresAt) throw new NacosServerException(403, 'token expired!', true);
  }

  /** Makes every issued token invalid (e.g. a server-side key rotation). */
  revokeAll(): void {
    this.#tokens.clear();
  }
}
