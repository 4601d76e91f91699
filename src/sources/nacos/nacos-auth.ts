import type { Clock, TimerHandle } from '../../clock';
import type { NacosLogger } from './nacos-log';
import type { NacosAuthHeaders } from './nacos-rpc-client';
import type { NacosServerAddress } from './server-address';
import { formatAddress } from '../../model/endpoint';

/** Options of {@link NacosAuth}. */
export interface NacosAuthOptions {
  readonly servers: readonly NacosServerAddress[];
  readonly username: string;
  readonly password: string;
  /** Context path of the HTTP API (default `/nacos`). */
  readonly contextPath: string;
  readonly clock: Clock;
  readonly log: NacosLogger;
  /** HTTP timeout of one login attempt (ms). */
  readonly timeoutMs: number;
}

/** Login failed on every server. The message never contains the password or a token. */
export class NacosAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NacosAuthError';
  }
}

/**
 * Username/password login over HTTP (`POST {contextPath}/v1/auth/users/login`, nacos-protocol §4).
 * The token goes into `accessToken` of every business request; it is refreshed at 90 % of its
 * TTL and re-fetched after a 403. The token and the password never appear in logs or dumps.
 */
export class NacosAuth implements NacosAuthHeaders {
  readonly #o: NacosAuthOptions;
  #token: string | undefined;
  #expiresAt = 0;
  #refreshTimer: TimerHandle | undefined;
  #inflight: Promise<void> | undefined;
  #closed = false;
  #logins = 0;

  constructor(options: NacosAuthOptions) {
    this.#o = options;
  }

  /** Whether a token is held and not past its TTL. */
  get authenticated(): boolean {
    return this.#token !== undefined && this.#o.clock.now() < this.#expiresAt;
  }

  /** `{accessToken}`, logging in first when there is no valid token. */
  async headers(): Promise<Record<string, string>> {
    if (!this.authenticated) await this.login();
    return this.#token ? { accessToken: this.#token } : {};
  }

  /** A 403: the token was refused, log in again. */
  async onForbidden(): Promise<void> {
    this.#token = undefined;
    await this.login();
  }

  /** Logs in (one attempt at a time), trying each server in order. */
  login(): Promise<void> {
    this.#inflight ??= this.#login().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  async #login(): Promise<void> {
    const problems: string[] = [];
    for (const s of this.#o.servers) {
      const url = `http://${formatAddress(s.host, s.port)}${this.#o.contextPath}/v1/auth/users/login?username=${encodeURIComponent(this.#o.username)}`;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: this.#o.username, password: this.#o.password }).toString(),
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
        if (!res.ok) {
          problems.push(`${formatAddress(s.host, s.port)}: HTTP ${res.status}`);
          await res.body?.cancel();
          continue;
        }
        const json = (await res.json()) as Record<string, unknown>;
        if (typeof json['accessToken'] !== 'string') {
          problems.push(`${formatAddress(s.host, s.port)}: no accessToken in the answer`);
          continue;
        }
        const ttlSeconds = typeof json['tokenTtl'] === 'number' && json['tokenTtl'] > 0 ? json['tokenTtl'] : 18_000;
        this.#accept(json['accessToken'], ttlSeconds);
        return;
      } catch (err) {
        problems.push(`${formatAddress(s.host, s.port)}: ${(err as Error).message}`);
      }
    }
    throw new NacosAuthError(`Nacos login as "${this.#o.username}" failed: ${problems.join('; ')}`);
  }

  #accept(token: string, ttlSeconds: number): void {
    const now = this.#o.clock.now();
    this.#token = token;
    this.#expiresAt = now + ttlSeconds * 1000;
    this.#logins++;
    this.#o.log('debug', `logged in to Nacos (token valid for ${ttlSeconds} s)`);
    this.#o.clock.clearTimeout(this.#refreshTimer);
    if (this.#closed) return;
    // Refresh at 90 % of the TTL (Go: ttl − 2×ttl/10; Java: within the last tenth).
    this.#refreshTimer = this.#o.clock.setTimeout(() => {
      this.login().catch((err: Error) => this.#o.log('warn', err.message));
    }, ttlSeconds * 900);
  }

  /** State for dumps: never the token. */
  dump(): Record<string, unknown> {
    return { username: this.#o.username, password: '<redacted>', authenticated: this.authenticated, logins: this.#logins };
  }

  /** Stops the refresh timer. */
  close(): void {
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#refreshTimer);
  }
}
