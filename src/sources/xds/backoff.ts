/** Reconnect backoff parameters (gRPC connection backoff). */
export interface BackoffOptions {
  /** First delay. Default 1000 ms. */
  readonly initialMs: number;
  /** Growth per failure. Default 1.6. */
  readonly multiplier: number;
  /** Relative jitter: each delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]. Default 0.2. */
  readonly jitter: number;
  /** Cap before jitter. Default 120,000 ms. */
  readonly maxMs: number;
}

/** gRPC connection backoff (grpc/grpc doc/connection-backoff.md), as A57 prescribes for ADS. */
export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ initialMs: 1000, multiplier: 1.6, jitter: 0.2, maxMs: 120_000 });

/** Delays for reconnect attempts: grows after each failure, {@link reset} after a success. */
export class ExponentialBackoff {
  readonly #options: BackoffOptions;
  readonly #random: () => number;
  #current: number;

  constructor(options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
    this.#current = options.initialMs;
  }

  /** The delay before the next attempt; later calls grow it. */
  next(): number {
    const base = this.#current;
    this.#current = Math.min(base * this.#options.multiplier, this.#options.maxMs);
    const factor = 1 + this.#options.jitter * (this.#random() * 2 - 1);
    return Math.round(base * factor);
  }

  /** Back to the initial delay (after a response was received). */
  reset(): void {
    this.#current = this.#options.initialMs;
  }
}
