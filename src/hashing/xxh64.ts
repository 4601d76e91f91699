import { joinU64 } from './u64-words';
import { xxh64Parts } from './xxh64-parts';

// The part of the xxhash-wasm API used here.
interface XxhashApi {
  h64(input: string, seed?: bigint): bigint;
}

// XXH64 with seed 0 over UTF-8 bytes: the hash that ring_hash and route hash policies fix on the
// wire (gRFC A42). Inputs shorter than 32 UTF-16 units (request values, ring entry keys) go to
// the allocation-free 32-bit implementation in xxh64-parts.ts, ≈ 2× faster than the WASM call for
// them; longer ones go to the xxhash-wasm library, which wins from about 32 bytes on, once it is
// ready (its API only instantiates asynchronously while pick() is synchronous; until then, or if
// WASM is unavailable, xxh64-parts.ts answers for every length). The WASM module is loaded and
// instantiated only when first needed (the first long key, or awaiting xxh64Ready): it costs
// 4–9 ms that a process hashing only short keys (or none) never pays at start-up. The BigInt implementation below
// is the readable reference the others are tested against (test/hashing/*.test.ts).

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

/** The reference algorithm on BigInt: slow (≈ 2 µs for 20 bytes), kept as the readable test oracle. */
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

/** From this many UTF-16 units on, the WASM library is faster than xxh64Parts (measured). */
const WASM_MIN_LENGTH = 32;

let wasm: ((input: string) => bigint) | undefined;
let starting: Promise<void> | undefined;

/** Loads and instantiates xxhash-wasm once; the promise never rejects. */
function startWasm(): Promise<void> {
  if (starting !== undefined) return starting;
  let factory: () => Promise<XxhashApi>;
  try {
    // The package's CommonJS build exports the factory itself (module.exports = fn) while its
    // typings declare an ES default export, so it is required directly with the declared API type.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    factory = require('xxhash-wasm') as () => Promise<XxhashApi>;
  } catch {
    starting = Promise.resolve();
    return starting;
  }
  starting = factory().then(
    (api) => {
      wasm = (input: string) => api.h64(input);
    },
    () => {
      // WASM unavailable (e.g. disabled by policy): xxh64Parts keeps serving every length.
    },
  );
  return starting;
}

/**
 * Settles once the WASM implementation serves long inputs (or is known to be unavailable; it never
 * rejects). Awaiting it starts the WASM instantiation if the first long key has not already done
 * so; merely importing this module starts nothing. Safe to await many times.
 */
export const xxh64Ready: PromiseLike<void> = Object.freeze({
  then<A = void, B = never>(
    onFulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return startWasm().then(onFulfilled, onRejected);
  },
});

/** True once the WASM implementation serves long inputs (diagnostics and tests). */
export function xxh64WasmActive(): boolean {
  return wasm !== undefined;
}

/** XXH64, seed 0, of the UTF-8 bytes of `input`, as an unsigned 64-bit BigInt. */
export function xxh64(input: string): bigint {
  if (input.length >= WASM_MIN_LENGTH) {
    if (wasm !== undefined) return wasm(input);
    // First long key: start the WASM instantiation in the background; answer this one (and any
    // until it is ready) with the synchronous implementation.
    if (starting === undefined) void startWasm();
  }
  const parts = xxh64Parts(input);
  return joinU64(parts[0]!, parts[1]!);
}
