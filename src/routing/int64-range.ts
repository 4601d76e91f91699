const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const ZERO = 48; // '0'
const NINE = 57; // '9'
const PLUS = 43;
const MINUS = 45;
// Up to 15 significant digits a value is an exact double, so it is parsed with no allocation;
// longer values (rare in headers) go through BigInt.
const MAX_NUMBER_DIGITS = 15;
const MAX_INT64_DIGITS = 19;

/**
 * The half-open range `[start, end)` of an Envoy `Int64Range` header matcher, tested against header
 * text: the value must be a base-10 int64 (optional `+`/`-`, then digits only, no spaces or
 * decimals) with `start <= v < end`.
 */
export class Int64Range {
  readonly #start: bigint;
  readonly #end: bigint;
  // The bounds as doubles: exact for comparisons with values of <= 15 digits (see contains()).
  readonly #startNumber: number;
  readonly #endNumber: number;

  constructor(start: bigint, end: bigint) {
    this.#start = start;
    this.#end = end;
    this.#startNumber = Number(start);
    this.#endNumber = Number(end);
  }

  /** Whether `text` parses as a base-10 int64 inside the range. */
  contains(text: string): boolean {
    const len = text.length;
    let i = 0;
    const first = text.charCodeAt(0);
    const negative = first === MINUS;
    if (negative || first === PLUS) i = 1;
    if (i >= len) return false;
    let significant = 0;
    let n = 0;
    for (let j = i; j < len; j++) {
      const c = text.charCodeAt(j);
      if (c < ZERO || c > NINE) return false;
      if (significant > 0 || c !== ZERO) {
        significant++;
        if (significant <= MAX_NUMBER_DIGITS) n = n * 10 + (c - ZERO);
      }
    }
    if (significant <= MAX_NUMBER_DIGITS) {
      // |n| < 1e15: comparing with the rounded bounds gives the exact answer, because a bound whose
      // double is inexact is beyond 2^53 in magnitude and so on the same side of n as the bound.
      const v = negative ? -n : n;
      return this.#startNumber <= v && v < this.#endNumber;
    }
    if (significant > MAX_INT64_DIGITS) return false;
    const v = BigInt(text);
    if (v < MIN_INT64 || v > MAX_INT64) return false;
    return this.#start <= v && v < this.#end;
  }
}
