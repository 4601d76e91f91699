import type { FailurePercentageEjection, OutlierDetectionConfig, SuccessRateEjection } from '../model/cluster';
import type { Clock } from '../clock';
import type { EndpointState } from './endpoint-state';

/**
 * Outlier detection as gRFC A50 (xds-reference §5.7) over the addresses of one cluster.
 *
 * Every `intervalMs` it swaps each address's call buckets, runs the success-rate then the
 * failure-percentage algorithm on the interval just ended, and then lowers the multiplier of
 * non-ejected addresses and un-ejects those whose time is up:
 * `now >= ejectedAt + min(base × multiplier, max(base, maxEjectionTime))`.
 * Ejection sets `ejectedAt = now` and increments the multiplier, so an address ejected again soon
 * after returning stays out twice as long. Ejections stop once the ejected share reaches
 * `maxEjectionPercent`, but one address may always be ejected.
 *
 * `onChange` runs (synchronously, inside the tick or `configure`) whenever the ejected set changed,
 * so the owner can rebuild its pickers once per change rather than check on every pick.
 * @internal
 */
export class OutlierDetector {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #onChange: () => void;
  #config: OutlierDetectionConfig | undefined;
  #addresses: readonly EndpointState[] = [];
  #timer: unknown = undefined;
  /** Start of the current interval (time of the last tick, or of enabling). */
  #intervalStartMs = 0;

  constructor(clock: Clock, random: () => number, onChange: () => void) {
    this.#clock = clock;
    this.#random = random;
    this.#onChange = onChange;
  }

  /** Whether an algorithm is configured (otherwise nothing is ever ejected). */
  get enabled(): boolean {
    return this.#config !== undefined;
  }

  /**
   * Applies a configuration (undefined or no algorithm ⇒ disabled: everything un-ejected, counts
   * cleared, timer stopped). An interval change keeps the timer's phase: the next tick comes at
   * `lastTick + newInterval` (or at once if that is past).
   */
  configure(config: OutlierDetectionConfig | undefined): void {
    const active =
      config !== undefined && (config.successRateEjection !== undefined || config.failurePercentageEjection !== undefined)
        ? config
        : undefined;
    const previous = this.#config;
    this.#config = active;
    if (active === undefined) {
      this.#stopTimer();
      let changed = false;
      for (const s of this.#addresses) {
        if (s.ejected) changed = true;
        s.resetOutlierState();
      }
      if (changed) this.#onChange();
      return;
    }
    if (this.#timer === undefined) {
      this.#intervalStartMs = this.#clock.now();
      this.#schedule(active.intervalMs);
    } else if (previous !== undefined && previous.intervalMs !== active.intervalMs) {
      this.#stopTimer();
      this.#schedule(Math.max(0, this.#intervalStartMs + active.intervalMs - this.#clock.now()));
    }
  }

  /** The addresses that currently receive traffic (ejection percentages are relative to them). */
  setAddresses(addresses: readonly EndpointState[]): void {
    this.#addresses = addresses;
  }

  /** Stops the timer; ejections stay as they are. */
  close(): void {
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.tick();
      if (this.#config !== undefined && this.#timer === undefined) this.#schedule(this.#config.intervalMs);
    }, delayMs);
  }

  /** One A50 interval step; runs from the timer (exposed for the balancer's tests). */
  tick(): void {
    const config = this.#config;
    if (config === undefined) return;
    const now = this.#clock.now();
    this.#intervalStartMs = now;
    const addresses = this.#addresses;
    for (const s of addresses) s.swapBuckets();
    let changed = false;
    if (config.successRateEjection) changed = this.#successRate(config, config.successRateEjection, now) || changed;
    if (config.failurePercentageEjection) {
      changed = this.#failurePercentage(config, config.failurePercentageEjection, now) || changed;
    }
    const base = config.baseEjectionTimeMs;
    const cap = Math.max(base, config.maxEjectionTimeMs);
    for (const s of addresses) {
      if (!s.ejected) {
        if (s.ejectionMultiplier > 0) s.ejectionMultiplier--;
      } else if (now >= s.ejectedAtMs + Math.min(base * s.ejectionMultiplier, cap)) {
        s.ejected = false;
        changed = true;
      }
    }
    if (changed) this.#onChange();
  }

  /** Addresses whose last interval had at least `requestVolume` calls, or none if fewer than `minimumHosts`. */
  #candidates(requestVolume: number, minimumHosts: number): EndpointState[] {
    const out = this.#addresses.filter((s) => s.inactive.successes + s.inactive.failures >= requestVolume);
    return out.length < minimumHosts ? [] : out;
  }

  #mayEject(config: OutlierDetectionConfig): boolean {
    let ejected = 0;
    for (const s of this.#addresses) if (s.ejected) ejected++;
    return ejected === 0 || (100 * ejected) / this.#addresses.length < config.maxEjectionPercent;
  }

  #eject(s: EndpointState, enforcementPercentage: number, now: number): boolean {
    if (s.ejected || this.#random() * 100 >= enforcementPercentage) return false;
    s.ejected = true;
    s.ejectedAtMs = now;
    s.ejectionMultiplier++;
    return true;
  }

  #successRate(config: OutlierDetectionConfig, sr: SuccessRateEjection, now: number): boolean {
    const candidates = this.#candidates(sr.requestVolume, sr.minimumHosts);
    if (candidates.length === 0) return false;
    const rates = candidates.map((s) => s.inactive.successes / (s.inactive.successes + s.inactive.failures));
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    const variance = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / rates.length;
    const threshold = mean - Math.sqrt(variance) * (sr.stdevFactor / 1000);
    let changed = false;
    for (let i = 0; i < candidates.length; i++) {
      if (!this.#mayEject(config)) break;
      if (rates[i]! < threshold) changed = this.#eject(candidates[i]!, sr.enforcementPercentage, now) || changed;
    }
    return changed;
  }

  /** Candidates whose failure percentage is strictly greater than the threshold (gRPC's `>`). */
  #failurePercentage(config: OutlierDetectionConfig, fp: FailurePercentageEjection, now: number): boolean {
    const candidates = this.#candidates(fp.requestVolume, fp.minimumHosts);
    let changed = false;
    for (const s of candidates) {
      if (!this.#mayEject(config)) break;
      const failurePercent = (100 * s.inactive.failures) / (s.inactive.successes + s.inactive.failures);
      if (failurePercent > fp.threshold) changed = this.#eject(s, fp.enforcementPercentage, now) || changed;
    }
    return changed;
  }
}
