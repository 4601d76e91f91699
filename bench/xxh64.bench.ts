import { xxh64, xxh64Ready, xxh64Reference } from '../src/hashing/xxh64';
import { xxh64Parts } from '../src/hashing/xxh64-parts';
import { median, type BenchResult } from './bench-result';

// The WASM library is measured directly (xxh64() only hands it inputs of 32 units or more).
interface XxhashApi {
  h64(input: string): bigint;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xxhash = require('xxhash-wasm') as () => Promise<XxhashApi>;

/** Median ns per call over `samples` timed passes of `rounds` × `inputs`. */
function nsPerCall(fn: (s: string) => number, inputs: string[], rounds: number, samples = 15): number {
  let sink = 0;
  const times: number[] = [];
  for (let k = 0; k < samples; k++) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const s of inputs) sink ^= fn(s);
    times.push(Number(process.hrtime.bigint() - t0) / (rounds * inputs.length));
  }
  if (sink === 0.5) console.log(sink); // keep the result alive
  return median(times);
}

/** XXH64 of short keys (ring entries, header values) and of long ones: 32-bit JS, WASM, BigInt reference. */
export async function run(): Promise<BenchResult[]> {
  await xxh64Ready;
  const wasm = await xxhash();
  // Flat strings, as header values arrive (template literals would build ropes).
  const flat = (s: string) => Buffer.from(s).toString();
  const keys20 = Array.from({ length: 1000 }, (_, i) => flat(`10.0.${i >> 8}.${i & 255}:8080_${i % 7}`.padEnd(20, '0')));
  const keys200 = Array.from({ length: 100 }, (_, i) => flat(`${i}:`.padEnd(200, 'k')));
  const js = (s: string) => xxh64Parts(s)[1]!;
  const viaWasm = (s: string) => Number(BigInt.asUintN(32, wasm.h64(s)));
  const api = (s: string) => Number(BigInt.asUintN(32, xxh64(s)));
  const reference = (s: string) => Number(BigInt.asUintN(32, xxh64Reference(s)));
  for (const fn of [js, viaWasm, api, reference]) nsPerCall(fn, keys20, 5, 3); // warm up
  const line = (name: string, ns: number): BenchResult => ({ name, value: Math.round(ns), unit: 'ns' });
  return [
    line('xxh64 of a 20-byte key, 32-bit JS (xxh64Parts, no allocation)', nsPerCall(js, keys20, 40)),
    line('xxh64 of a 20-byte key, xxhash-wasm', nsPerCall(viaWasm, keys20, 40)),
    line('xxh64 of a 20-byte key, xxh64() (JS below 32 units, as a BigInt)', nsPerCall(api, keys20, 40)),
    line('xxh64 of a 20-byte key, BigInt reference', nsPerCall(reference, keys20, 2)),
    line('xxh64 of a 200-byte key, 32-bit JS', nsPerCall(js, keys200, 40)),
    line('xxh64 of a 200-byte key, xxhash-wasm (what xxh64() uses)', nsPerCall(viaWasm, keys200, 40)),
  ];
}
