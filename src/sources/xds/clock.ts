/** Handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time source for every xDS timer (does-not-exist timeouts, reconnect backoff), injectable so tests
 * drive them with fake timers (e.g. `@sinonjs/fake-timers` `createClock()`).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The process clock. Looks the globals up at call time so installed fake timers also apply. */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => {
    const t = setTimeout(callback, ms);
    // Timers of the xDS client must never keep the process alive on their own.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout),
});
