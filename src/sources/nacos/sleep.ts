import type { Clock } from '../../clock';

/** Resolves after `ms` on `clock` (backoff pauses that fake clocks can drive). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
