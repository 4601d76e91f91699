import type { EndpointLoad } from './endpoint-picker';

/** Call counts of one outlier-detection interval. */
export interface CallBucket {
  successes: number;
  failures: number;
}

/**
 * Everything the balancer remembers about one address across cluster updates: outstanding calls
 * (least_request, in-flight accounting) and the A50 outlier-detection state.
 * @internal
 */
export class EndpointState implements EndpointLoad {
  readonly address: string;
  outstanding = 0;
  /** Bucket counting the current interval's calls. */
  active: CallBucket = { successes: 0, failures: 0 };
  /** Bucket holding the previous interval's calls, read by the ejection algorithms. */
  inactive: CallBucket = { successes: 0, failures: 0 };
  ejected = false;
  ejectedAtMs = 0;
  ejectionMultiplier = 0;

  constructor(address: string) {
    this.address = address;
  }

  /** Counts a finished call in the current interval. */
  record(ok: boolean): void {
    if (ok) this.active.successes++;
    else this.active.failures++;
  }

  /** Starts a new interval: the current bucket becomes the one read, the other is cleared. */
  swapBuckets(): void {
    const last = this.active;
    this.active = this.inactive;
    this.active.successes = 0;
    this.active.failures = 0;
    this.inactive = last;
  }

  /** Forgets counts and ejection (outlier detection turned off). */
  resetOutlierState(): void {
    this.active.successes = this.active.failures = 0;
    this.inactive.successes = this.inactive.failures = 0;
    this.ejected = false;
    this.ejectedAtMs = 0;
    this.ejectionMultiplier = 0;
  }
}
