import assert from 'node:assert/strict';
import { xxh64, xxh64Ready, xxh64Reference } from '../../src/hashing/xxh64';

// Vectors from xds-reference §5.4 (seed 0).
const VECTORS: Array<[string, string]> = [
  ['', 'ef46db3751d8e999'],
  ['a', 'd24ec4f1a98c6e5b'],
  ['abc', '44bc2cf5ad770999'],
  ['The quick brown fox jumps over the lazy dog', '0b242d361fda71bc'],
  ['10.0.0.1:8080_0', '23a29ae775dfd4a3'],
  ['10.0.0.1:8080_1', 'e6acd2238f8f5a9c'],
  ['[::1]:50051_0', '1d53eb4cd5d9421a'],
];

const hex = (v: bigint) => v.toString(16).padStart(16, '0');

describe('xxh64', () => {
  it('reference implementation matches the published vectors', () => {
    for (const [input, expected] of VECTORS) assert.equal(hex(xxh64Reference(input)), expected, input);
  });
  it('WASM implementation matches the same vectors once ready', async () => {
    await xxh64Ready;
    for (const [input, expected] of VECTORS) assert.equal(hex(xxh64(input)), expected, input);
  });
  it('both agree on long and non-ASCII input', async () => {
    await xxh64Ready;
    for (const s of ['x'.repeat(31), 'y'.repeat(32), 'z'.repeat(100), 'héllo wörld ✓ 漢字', 'a'.repeat(1000) + 'b']) {
      assert.equal(xxh64(s), xxh64Reference(s), s.slice(0, 10));
    }
  });
});
