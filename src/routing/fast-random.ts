
// In Node 20's V8, every Math.random() call allocates a 16-byte heap number, which is one young
// generation GC per ~60,000 routed requests. Weighted clusters and runtime fractions need a uniform
// draw per request, not cryptographic randomness, so this xorshift128 generator (Marsaglia 2003)
// keeps its state in a typed array and returns an unboxed double: no allocation once optimised.
// Seeded once from Math.random (V8's own xorshift128+, itself seeded from the OS): node:crypto is
// not loaded for this, it would add several ms to every cold start. Callers that need reproducible
// draws inject their own source.
const state = new Uint32Array(4);
for (let i = 0; i < 4; i++) state[i] = Math.floor(Math.random() * 4294967296);
if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 0x9e3779b9; // never all-zero

const TWO_POW_32 = 4294967296;

/** A uniform double in [0, 1) with 32 bits of resolution, without allocating. Not for secrets. */
export function fastRandom(): number {
  return (nextInt32() >>> 0) / TWO_POW_32;
}

/**
 * A uniform integer in [0, n) for n <= 2^32: from `random` (uniform in [0, 1)) when given, else from
 * {@link fastRandom}'s generator. Returning an integer matters: a double returned from a call that
 * V8 does not inline is boxed (16 bytes); a small integer is not.
 */
export function randomBelow(n: number, random?: () => number): number {
  return Math.floor((random === undefined ? (nextInt32() >>> 0) / TWO_POW_32 : random()) * n);
}

// xorshift128 step; returns the new 32 bits as a signed int32, which V8 keeps unboxed even across
// a call it does not inline (an unsigned value above 2^31 would be boxed).
function nextInt32(): number {
  const s = state[0]!;
  let t = state[3]!;
  state[3] = state[2]!;
  state[2] = state[1]!;
  state[1] = s;
  t ^= t << 11;
  t ^= t >>> 8;
  const next = t ^ s ^ (s >>> 19);
  state[0] = next;
  return next;
}

/**
 * A random unsigned 64-bit integer from Math.random: for ids that spread hash affinity (a client's
 * `channelId`), never for secrets.
 */
export function randomU64(): bigint {
  const hi = Math.floor(Math.random() * TWO_POW_32);
  const lo = Math.floor(Math.random() * TWO_POW_32);
  return (BigInt(hi) << 32n) | BigInt(lo);
}
