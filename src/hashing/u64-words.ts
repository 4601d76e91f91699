// Moving a 64-bit hash between BigInt and two unsigned 32-bit numbers without arithmetic on
// BigInt: one BigUint64Array element shares its bytes with two Uint32Array elements. Writing a
// BigInt into a typed array allocates nothing, and reading the halves back are plain number loads,
// so splitting costs a few ns where `Number(h >> 32n)` and `Number(h & 0xffffffffn)` allocate
// three BigInts. Which Uint32 element is the high half depends on the platform byte order.

const big = new BigUint64Array(1);
const words = new Uint32Array(big.buffer);
big[0] = 1n;
const littleEndian = words[0] === 1;

/**
 * Index of the high 32 bits of element `i` in a Uint32Array view of a BigUint64Array: `2 × i + U64_HI`.
 * @internal
 */
export const U64_HI = littleEndian ? 1 : 0;

/**
 * Index of the low 32 bits of element `i` in a Uint32Array view of a BigUint64Array: `2 × i + U64_LO`.
 * @internal
 */
export const U64_LO = 1 - U64_HI;

/**
 * Splits an unsigned 64-bit BigInt into a shared two-word scratch (read `[U64_HI]` and `[U64_LO]`
 * before the next call). Values outside 0..2^64-1 are taken modulo 2^64. Allocates nothing.
 * @internal
 */
export function splitU64(value: bigint): Uint32Array {
  big[0] = value;
  return words;
}

/**
 * The unsigned 64-bit BigInt `hi × 2^32 + lo` (both taken modulo 2^32). Allocates only the result.
 * @internal
 */
export function joinU64(hi: number, lo: number): bigint {
  words[U64_HI] = hi;
  words[U64_LO] = lo;
  return big[0]!;
}

/**
 * A Uint32Array over the same memory as `values`: element `i` is `[2i + U64_HI]` (high) and
 * `[2i + U64_LO]` (low), for searches that compare numbers instead of BigInts.
 * @internal
 */
export function u64Words(values: BigUint64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}
