import { CLUSTER_DEFAULTS, type CircuitBreakerConfig } from '../model/cluster';

/**
 * A32 circuit breaking: a count of in-flight calls of one cluster and its `maxRequests` limit
 * (default 1024, always enforced). The balancer checks {@link CircuitBreaker.isOpen} before choosing
 * an endpoint and calls {@link CircuitBreaker.acquire} only once a pick is committed.
 * @internal
 */
export class CircuitBreaker {
  #maxRequests: number = CLUSTER_DEFAULTS.circuitBreaker.maxRequests;
  #inFlight = 0;

  /** Calls picked and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Applies a new limit; calls already in flight stay counted. */
  configure(config: CircuitBreakerConfig | undefined): void {
    this.#maxRequests = config?.maxRequests ?? CLUSTER_DEFAULTS.circuitBreaker.maxRequests;
  }

  /** Whether a new call must be refused (`inFlight >= maxRequests`). */
  isOpen(): boolean {
    return this.#inFlight >= this.#maxRequests;
  }

  acquire(): void {
    this.#inFlight++;
  }

  release(): void {
    if (this.#inFlight > 0) this.#inFlight--;
  }
}
