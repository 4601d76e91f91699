// The package's CommonJS build exports the factory itself (module.exports = fn) while its typings
// declare an ES default export, so it is required directly with the declared API type.
// The part of its API used here:
interface XxhashApi {
  h64(input: string, seed?: bigint): bigint;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xxhash = require('xxhash-wasm') as () => Promise<XxhashApi>;

// XXH64 with seed 0 over UTF-8 bytes: the hash that ring_hash and route hash policies fix on the
// wire (gRFC A42). The fast path is the xxhash-wasm library; its API only instantiates
// asynchronously while pick() is synchronous, so until the WASM module is ready (a few ms after
// import) a small BigInt implementation of the published algorithm answers. Both are checked
// against the same vectors in test/hashing/xxh64.test.ts.

const MASK = 0xffffffffffffffffn;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, lane: bigint): bigint {
  acc = (acc + lane * P2) & MASK;
  return (rotl(acc, 31n) * P1) & MASK;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & MASK;
}

/** The reference algorithm on BigInt; slow but dependency-free and synchronous. */
export function xxh64Reference(input: string): bigint {
  const buf = Buffer.from(input, 'utf8');
  const len = buf.length;
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    while (p <= len - 32) {
      v1 = round(v1, buf.readBigUInt64LE(p));
      v2 = round(v2, buf.readBigUInt64LE(p + 8));
      v3 = round(v3, buf.readBigUInt64LE(p + 16));
      v4 = round(v4, buf.readBigUInt64LE(p + 24));
      p += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & MASK;
  while (p + 8 <= len) {
    h ^= round(0n, buf.readBigUInt64LE(p));
    h = (rotl(h, 27n) * P1 + P4) & MASK;
    p += 8;
  }
  if (p + 4 <= len) {
    h ^= (BigInt(buf.readUInt32LE(p)) * P1) & MASK;
    h = (rotl(h, 23n) * P2 + P3) & MASK;
    p += 4;
  }
  while (p < len) {
    h ^= (BigInt(buf[p]!) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
    p++;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

let fast: ((input: string) => bigint) | undefined;

/** Resolves once the WASM implementation is in use. Safe to call many times. */
export const xxh64Ready: Promise<void> = xxhash().then(
  (api) => {
    fast = (input: string) => api.h64(input);
  },
  () => {
    // WASM unavailable (e.g. disabled by policy): the reference implementation keeps serving.
  },
);

/** XXH64, seed 0, of the UTF-8 bytes of `input`, as an unsigned 64-bit BigInt. */
export function xxh64(input: string): bigint {
  return fast === undefined ? xxh64Reference(input) : fast(input);
}
