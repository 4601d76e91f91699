import { systemClock, type BalancerClock } from '../../balancing/balancer-clock';

/**
 * Time source for every xDS timer (does-not-exist timeouts, reconnect backoff), injectable so tests
 * drive them with fake timers. The same shape as the balancers' and the Nacos source's clock.
 */
export type Clock = BalancerClock;

/** Handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** The process clock: reads the globals at call time and unrefs its timers. */
export const SYSTEM_CLOCK: Clock = systemClock;
