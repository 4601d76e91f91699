/**
 * Time source and timers of a balancer (outlier detection). Injectable so tests drive intervals with
 * fake timers; the default reads the globals at call time, so sinon's `useFakeTimers` applies too.
 */
export interface BalancerClock {
  /** Milliseconds, monotonic enough for interval arithmetic. */
  now(): number;
  /** Schedules `fn` once after `ms`; the returned handle goes to {@link BalancerClock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time: `Date.now` and unref'ed global timers (a balancer never keeps the process alive). */
export const systemClock: BalancerClock = Object.freeze({
  now: () => Date.now(),
  setTimeout(fn: () => void, ms: number): unknown {
    const timer = setTimeout(fn, ms);
    if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
    return timer;
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});
