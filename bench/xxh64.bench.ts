import { xxh64, xxh64Ready, xxh64Reference } from '../src/hashing/xxh64';
import type { BenchResult } from './bench-result';

function nsPerCall(fn: (s: string) => bigint, inputs: string[], rounds: number): number {
  const t0 = process.hrtime.bigint();
  let sink = 0n;
  for (let r = 0; r < rounds; r++) for (const s of inputs) sink ^= fn(s);
  const ns = Number(process.hrtime.bigint() - t0) / (rounds * inputs.length);
  if (sink === -1n) console.log(sink); // keep the result alive
  return ns;
}

/** XXH64 of short keys (ring entries, header values): the WASM library vs the BigInt reference. */
export async function run(): Promise<BenchResult[]> {
  await xxh64Ready;
  const inputs = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}:8080_${i % 7}`);
  nsPerCall(xxh64, inputs, 20);
  nsPerCall(xxh64Reference, inputs, 5);
  return [
    { name: 'xxh64 of a 20-byte key, xxhash-wasm', value: Math.round(nsPerCall(xxh64, inputs, 200)), unit: 'ns' },
    { name: 'xxh64 of a 20-byte key, BigInt reference', value: Math.round(nsPerCall(xxh64Reference, inputs, 20)), unit: 'ns' },
  ];
}
