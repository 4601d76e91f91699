import { systemClock as realClock, type BalancerClock } from '../../balancing/balancer-clock';

/**
 * Time as the Nacos source and the test server see it: the same contract as the balancers'
 * clock. Injectable so tests drive heartbeats, backoff and token refresh with a fake clock (e.g.
 * a sinon clock installed on a private object, leaving grpc-js's own timers real).
 */
export type Clock = BalancerClock;

/** An opaque timer handle returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

/** The real clock: `Date.now` and unref'd timers (a heartbeat never keeps a process alive). */
export const systemClock: Clock = realClock;

/** Resolves after `ms` on `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
