import assert from 'node:assert/strict';
import { joinU64, splitU64, U64_HI, U64_LO, u64Words } from '../../src/hashing/u64-words';

const EDGES = [0n, 1n, 0xffffffffn, 0x100000000n, 0x8000000000000000n, 0xffffffffffffffffn, 0x23a29ae775dfd4a3n];

describe('u64 words', () => {
  it('splits a 64-bit BigInt into unsigned high and low halves', () => {
    for (const v of EDGES) {
      const w = splitU64(v);
      assert.equal(w[U64_HI], Number(v >> 32n), v.toString(16));
      assert.equal(w[U64_LO], Number(v & 0xffffffffn), v.toString(16));
    }
  });

  it('joins halves back to the same BigInt', () => {
    for (const v of EDGES) assert.equal(joinU64(Number(v >> 32n), Number(v & 0xffffffffn)), v);
    assert.equal(joinU64(-1, -1), 0xffffffffffffffffn, 'halves are taken modulo 2^32');
  });

  it('views a BigUint64Array as halves at 2i + U64_HI and 2i + U64_LO', () => {
    const values = BigUint64Array.from(EDGES);
    const words = u64Words(values);
    assert.equal(words.length, 2 * values.length);
    values.forEach((v, i) => {
      assert.equal(words[2 * i + U64_HI], Number(v >> 32n));
      assert.equal(words[2 * i + U64_LO], Number(v & 0xffffffffn));
    });
  });
});
