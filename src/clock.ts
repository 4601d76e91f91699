/**
 * Time source and timers of everything that waits: outlier detection, xDS and Nacos timers and
 * backoff, file polling, cache writes. Injectable so tests drive them with fake timers; the default
 * reads the globals at call time, so sinon's `useFakeTimers` applies too.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for interval arithmetic. */
  now(): number;
  /** Schedules `fn` once after `ms`; the returned handle goes to {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Real time: `Date.now` and unref'ed global timers (a timer of ours never keeps the process alive). */
export const systemClock: Clock = Object.freeze({
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
