import { InvalidConfigError } from '../errors';
import { randomBelow } from './fast-random';

/** Parts per million in a whole. */
export const MILLION = 1_000_000;

/**
 * Checks a route's `runtimeFractionPerMillion`: absent, or an integer >= 0 (values above a million
 * mean always).
 * @throws InvalidConfigError naming `field`.
 */
export function validateRuntimeFraction(perMillion: number | undefined, field: string): void {
  if (perMillion === undefined) return;
  if (!Number.isInteger(perMillion) || perMillion < 0) {
    throw new InvalidConfigError(field, `must be an integer >= 0 (parts per million), got ${perMillion}`);
  }
}

/**
 * One per-request draw of a route's `runtime_fraction`: a uniform integer in [0, 1,000,000) is
 * compared with the numerator scaled to parts per million (gRPC scales every denominator to a
 * million). `undefined` or >= a million always matches; 0 never does.
 * @param random uniform in [0, 1); default a non-allocating xorshift128 generator.
 */
export function drawRuntimeFraction(perMillion: number | undefined, random?: () => number): boolean {
  if (perMillion === undefined || perMillion >= MILLION) return true;
  return randomBelow(MILLION, random) < perMillion;
}
