// 64-bit protobuf integers as two unsigned 32-bit halves (lo, hi), the form the wire reader and
// writer (proto-reader.ts, proto-writer.ts) work in, and their conversions to and from what the
// xDS plain objects carry: decimal strings out (as protobufjs' toObject with `longs: String`),
// numbers, decimal strings and Long-like `{ low, high }` objects in (as protobufjs' Writer takes
// them). Values below 2^53 never touch BigInt; only wider ones and odd strings do.
// Hand-written for the same reason as proto-reader.ts: not loading protobufjs/minimal and `long`.

/** A 64-bit value as two's-complement halves, each an unsigned 32-bit integer. */
export interface Int64Bits {
  lo: number;
  hi: number;
}

const TWO_32 = 4294967296;
/** hi below this: the value is below 2^53 and exact as a number. */
const SAFE_HI = 0x200000;

function unsignedDecimal(lo: number, hi: number): string {
  if (hi < SAFE_HI) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** The decimal string of (lo, hi): two's complement when `signed`, else unsigned (as Long.toString). */
export function int64ToDecimal(lo: number, hi: number, signed: boolean): string {
  if (!signed || hi < 0x80000000) return unsignedDecimal(lo, hi);
  // Negative: print the magnitude, 2^64 − value.
  const nlo = (~lo + 1) >>> 0;
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
  return `-${unsignedDecimal(nlo, nhi)}`;
}

/** A number's bits as protobufjs' LongBits.fromNumber takes them: truncated toward zero, wrapped mod 2^64, NaN as 0. */
function fromNumber(value: number, out: Int64Bits): void {
  const negative = value < 0;
  if (negative) value = -value;
  let lo = value >>> 0;
  let hi = ((value - lo) / TWO_32) >>> 0;
  if (negative) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  out.lo = lo;
  out.hi = hi;
}

function fromBigInt(value: bigint, out: Int64Bits): void {
  const u = BigInt.asUintN(64, value);
  out.lo = Number(u & 0xffffffffn);
  out.hi = Number(u >> 32n);
}

/**
 * The value of a string as `long`'s Long.fromString reads it (protobufjs' Writer calls it): eight
 * characters at a time through parseInt, wrapping mod 2^64. Only reached by strings that are not
 * plain decimals, which it reads leniently ('+5' is 5, '12ab' is 12), as before.
 */
function longFromString(s: string): bigint {
  if (s.length === 0) throw new Error('empty string');
  if (s === 'NaN' || s === 'Infinity' || s === '+Infinity' || s === '-Infinity') return 0n;
  const hyphen = s.indexOf('-');
  if (hyphen > 0) throw new Error('interior hyphen');
  if (hyphen === 0) return BigInt.asUintN(64, -longFromString(s.substring(1)));
  let result = 0n;
  for (let i = 0; i < s.length; i += 8) {
    const size = Math.min(8, s.length - i);
    const chunk = parseInt(s.substring(i, i + size), 10);
    result = BigInt.asUintN(64, result * 10n ** BigInt(size) + BigInt(Number.isNaN(chunk) ? 0 : chunk));
  }
  return result;
}

const DECIMAL = /^-?\d+$/;

/**
 * Sets `out` to the bits of a 64-bit field value as protobufjs' Writer accepts it: a number
 * (truncated, wrapped), a string (decimal, or what Long.fromString makes of it), a bigint, or a
 * Long-like object with `low` and `high` (anything else without them is 0).
 */
export function int64FromValue(value: unknown, out: Int64Bits): void {
  if (typeof value === 'number') return fromNumber(value, out);
  if (typeof value === 'string') {
    if (DECIMAL.test(value)) {
      // Up to 15 digits is exact as a number.
      if (value.length <= (value.charCodeAt(0) === 45 ? 16 : 15)) return fromNumber(Number(value), out);
      return fromBigInt(BigInt(value), out);
    }
    return fromBigInt(longFromString(value), out);
  }
  if (typeof value === 'bigint') return fromBigInt(value, out);
  const long = value as { low: number; high: number };
  const set = Boolean(long.low || long.high);
  out.lo = set ? long.low >>> 0 : 0;
  out.hi = set ? long.high >>> 0 : 0;
}

/** Zigzag-encodes (lo, hi) in place (sint64). */
export function zigzagEncode64(bits: Int64Bits): void {
  const mask = bits.hi >> 31;
  bits.hi = (((bits.hi << 1) | (bits.lo >>> 31)) ^ mask) >>> 0;
  bits.lo = ((bits.lo << 1) ^ mask) >>> 0;
}
