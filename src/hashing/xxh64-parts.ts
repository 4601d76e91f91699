import { utf8Into } from './utf8-into';

// XXH64 (seed 0) on pairs of 32-bit numbers, without BigInt.
//
// Why hand-written while xxhash-wasm exists: the hot path hashes short request values (user ids,
// session cookies, 5..40 bytes) synchronously on every pick. xxhash-wasm's `h64(string)` costs
// ≈ 150 ns for a 10- or 20-byte key here (UTF-8 copy into WASM memory, then a BigInt built from
// the result), its API only instantiates asynchronously, and the BigInt reference costs
// ≈ 1,400-2,500 ns. This version costs ≈ 60 ns for a 10-byte key and ≈ 120 ns for a 20-byte one,
// and allocates nothing (bench/xxh64.bench.ts); xxh64.ts keeps the WASM library for inputs of 32
// units or more, where it is faster (≈ 200 ns against ≈ 1 µs here for 200 bytes).
//
// A 64-bit value is a (high, low) pair of 32-bit halves, each held as a signed int32 (`| 0`):
// V8 keeps int32 values unboxed, while a number above 2^31 that crosses a call that is not inlined
// or is stored outside a register becomes a heap-allocated number (measured: ≈ 2× slower overall).
// The low 64 bits of a product (xh, xl) × (ch, cl) are
//   low  = low32(xl × cl)                                  (Math.imul)
//   high = high32(xl × cl) + low32(xl × ch) + low32(xh × cl)  (mod 2^32)
// with high32(xl × cl) computed on 16-bit limbs with Math.imul only (integer operations: an exact
// version in doubles needs int/float conversions whose latency made it ≈ 1.5× slower).
// Checked against the published vectors and, randomized, against the BigInt reference
// (test/hashing/xxh64-parts.test.ts).

// The five XXH64 primes as (high, low) halves.
const P1H = 0x9e3779b1 | 0;
const P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0;
const P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1 | 0;
const P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0;
const P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f | 0;
const P5L = 0x165667c5 | 0;
/** The high half of (xh, xl) × (ch, cl) mod 2^64 (its low half is `Math.imul(xl, cl)`). */
function mulHigh(xh: number, xl: number, ch: number, cl: number): number {
  const x0 = xl & 0xffff;
  const x1 = xl >>> 16;
  const c0 = cl & 0xffff;
  const c1 = cl >>> 16;
  // xl × cl = x1c1·2^32 + (x1c0 + x0c1)·2^16 + x0c0; each partial product is below 2^32.
  const m1 = Math.imul(x1, c0);
  const m2 = Math.imul(x0, c1);
  const t = (Math.imul(x0, c0) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (Math.imul(x1, c1) + (m1 >>> 16) + (m2 >>> 16) + (t >>> 16) + Math.imul(xl, ch) + Math.imul(xh, cl)) | 0;
}

/** Little-endian 32-bit word (as int32) of `b` at `p`. */
function word(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

// Output registers of round() and stripes(), and of the whole hash (a typed array, not returned
// pairs, so that nothing is allocated). RESULT reads the same two words as unsigned.
const OUT = new Int32Array(2);
const RESULT = new Uint32Array(OUT.buffer);

/** (OUT[0], OUT[1]) = the XXH64 round rotl64(acc + lane × P2, 31) × P1. */
function round(ah: number, al: number, kh: number, kl: number): void {
  let nh = mulHigh(kh, kl, P2H, P2L);
  kl = Math.imul(kl, P2L);
  kh = nh;
  const l = (al + kl) | 0;
  ah = (ah + kh + ((l >>> 0) < (kl >>> 0) ? 1 : 0)) | 0;
  al = l;
  nh = (ah << 31) | (al >>> 1);
  al = (al << 31) | (ah >>> 1);
  ah = nh;
  OUT[0] = mulHigh(ah, al, P1H, P1L);
  OUT[1] = Math.imul(al, P1L);
}

// The four lane accumulators of the stripe loop, as (high, low) pairs.
const LANES = new Int32Array(8);
// Initial lanes: P1 + P2, P2, 0, -P1 (mod 2^64).
const LANES_INIT = new Int32Array([0x60ea27ee, 0xadc0b5d6, P2H, P2L, 0, 0, 0x61c8864e, 0x7a143579]);
// Rotation of each lane when they converge.
const LANE_ROTATIONS = [1, 7, 12, 18];

/**
 * The 32-byte stripes of `b[0..len)`, `len >= 32`: (OUT[0], OUT[1]) = the converged accumulator.
 * Only inputs below 32 bytes are on the hot path (xxh64.ts gives longer ones to the WASM library
 * once it is ready), so this part is written for clarity rather than speed.
 * @returns the offset after the last whole stripe.
 */
function stripes(b: Uint8Array, len: number): number {
  const v = LANES;
  v.set(LANES_INIT);
  let p = 0;
  for (; p + 32 <= len; p += 32) {
    for (let i = 0; i < 8; i += 2) {
      round(v[i]!, v[i + 1]!, word(b, p + 4 * i + 4), word(b, p + 4 * i));
      v[i] = OUT[0]!;
      v[i + 1] = OUT[1]!;
    }
  }
  // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
  let hh = 0;
  let hl = 0;
  for (let i = 0; i < 8; i += 2) {
    const r = LANE_ROTATIONS[i >> 1]!;
    const rh = (v[i]! << r) | (v[i + 1]! >>> (32 - r));
    const rl = (v[i + 1]! << r) | (v[i]! >>> (32 - r));
    const l = (hl + rl) | 0;
    hh = (hh + rh + ((l >>> 0) < (rl >>> 0) ? 1 : 0)) | 0;
    hl = l;
  }
  // Merge each lane: h = (h ^ round(0, v)) × P1 + P4.
  for (let i = 0; i < 8; i += 2) {
    round(0, 0, v[i]!, v[i + 1]!);
    hh ^= OUT[0]!;
    hl ^= OUT[1]!;
    const nh = mulHigh(hh, hl, P1H, P1L);
    hl = Math.imul(hl, P1L);
    const l = (hl + P4L) | 0;
    hh = (nh + P4H + ((l >>> 0) < (P4L >>> 0) ? 1 : 0)) | 0;
    hl = l;
  }
  OUT[0] = hh;
  OUT[1] = hl;
  return p;
}

/** (OUT[0], OUT[1]) = XXH64, seed 0, of `b[0..len)`. */
function hashBytes(b: Uint8Array, len: number): void {
  let p = 0;
  let hh = P5H;
  let hl = P5L;
  if (len >= 32) {
    p = stripes(b, len);
    hh = OUT[0]!;
    hl = OUT[1]!;
  }
  // h += len (a string's UTF-8 length is below 2^31, so its high half is 0).
  let l = (hl + len) | 0;
  hh = (hh + ((l >>> 0) < (len >>> 0) ? 1 : 0)) | 0;
  hl = l;
  // The rest, one step each for an 8-byte lane while 8 bytes remain, a 4-byte word, single bytes:
  //   h = rotl(h ^ (k × c), r) × m + a
  // with k the lane's rotl(lane × P2, 31), c = P1, r = 27, m = P1, a = P4; or the word, c = P1,
  // r = 23, m = P2, a = P3; or the byte, c = P5, r = 11, m = P1, a = 0. One loop for the three
  // keeps the products to three places: TurboFan inlines about three calls of a function the
  // size of mulHigh into one caller (its inlining budget), and each call left out cost ≈ 10 %.
  while (p < len) {
    let kh = 0;
    let kl: number;
    let ch = P1H;
    let cl = P1L;
    let r: number;
    let mh = P1H;
    let ml = P1L;
    let ah = 0;
    let al = 0;
    if (p + 8 <= len) {
      kl = word(b, p);
      const nh = mulHigh(word(b, p + 4), kl, P2H, P2L);
      kl = Math.imul(kl, P2L);
      kh = (nh << 31) | (kl >>> 1);
      kl = (kl << 31) | (nh >>> 1);
      r = 27;
      ah = P4H;
      al = P4L;
      p += 8;
    } else if (p + 4 <= len) {
      kl = word(b, p);
      r = 23;
      mh = P2H;
      ml = P2L;
      ah = P3H;
      al = P3L;
      p += 4;
    } else {
      kl = b[p]!;
      ch = P5H;
      cl = P5L;
      r = 11;
      p++;
    }
    hh ^= mulHigh(kh, kl, ch, cl);
    hl ^= Math.imul(kl, cl);
    const nh = (hh << r) | (hl >>> (32 - r));
    hl = (hl << r) | (hh >>> (32 - r));
    hh = mulHigh(nh, hl, mh, ml);
    hl = Math.imul(hl, ml);
    l = (hl + al) | 0;
    hh = (hh + ah + ((l >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
    hl = l;
  }
  avalanche(hh, hl);
}

/**
 * (OUT[0], OUT[1]) = the XXH64 avalanche of (hh, hl): h ^= h >> 33; h ×= P2; h ^= h >> 29; h ×= P3;
 * h ^= h >> 32. A function of its own so that its two products do not count against the inlining
 * budget of {@link hashBytes}.
 */
function avalanche(hh: number, hl: number): void {
  hl ^= hh >>> 1;
  let nh = mulHigh(hh, hl, P2H, P2L);
  hl = Math.imul(hl, P2L);
  hl ^= (hl >>> 29) | (nh << 3);
  nh ^= nh >>> 29;
  hh = mulHigh(nh, hl, P3H, P3L);
  hl = Math.imul(hl, P3L);
  OUT[0] = hh;
  OUT[1] = hl ^ hh;
}

/** Inputs up to this many UTF-16 units are encoded into a reused scratch (3 bytes per unit at most). */
const SCRATCH_UNITS = 1024;
const scratch = new Uint8Array(SCRATCH_UNITS * 3);

/**
 * XXH64, seed 0, of the UTF-8 bytes of `input`, as `[high 32 bits, low 32 bits]` in a shared
 * array that the next call overwrites (read it at once). Allocates nothing for inputs up to 1,024
 * UTF-16 units; longer ones are encoded with `Buffer.from`.
 * @internal
 */
export function xxh64Parts(input: string): Uint32Array {
  if (input.length <= SCRATCH_UNITS) {
    hashBytes(scratch, utf8Into(input, scratch));
  } else {
    const bytes = Buffer.from(input, 'utf8');
    hashBytes(bytes, bytes.length);
  }
  return RESULT;
}
