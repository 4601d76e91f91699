import assert from 'node:assert/strict';
import { xxh64Parts } from '../../src/hashing/xxh64-parts';
import { xxh64Reference } from '../../src/hashing/xxh64';
import { seededRandom } from '../balancing/cluster-fixture';
import { hex64, randomString, XXH64_VECTORS } from './xxh64-vectors';

/** xxh64Parts as one BigInt. */
function parts(s: string): bigint {
  const p = xxh64Parts(s);
  return (BigInt(p[0]!) << 32n) | BigInt(p[1]!);
}

describe('xxh64Parts', () => {
  it('matches the published vectors', () => {
    for (const [input, expected] of XXH64_VECTORS) assert.equal(hex64(parts(input)), expected, input);
  });

  it('returns unsigned 32-bit halves', () => {
    const p = xxh64Parts('');
    assert.equal(p[0], 0xef46db37);
    assert.equal(p[1], 0x51d8e999);
  });

  it('agrees with the BigInt reference on random ASCII strings of every length 0..200', () => {
    const random = seededRandom(1);
    for (let length = 0; length <= 200; length++) {
      for (let i = 0; i < 5; i++) {
        const s = randomString(random, length, true);
        assert.equal(parts(s), xxh64Reference(s), JSON.stringify(s));
      }
    }
  });

  it('agrees with the reference on random non-ASCII strings (2-, 3-, 4-byte UTF-8, lone surrogates), lengths 0..200', () => {
    const random = seededRandom(2);
    for (let length = 0; length <= 200; length++) {
      for (let i = 0; i < 5; i++) {
        const s = randomString(random, length);
        assert.equal(parts(s), xxh64Reference(s), JSON.stringify(s));
      }
    }
  });

  it('agrees with the reference past the reused scratch (1,024 UTF-16 units)', () => {
    const random = seededRandom(3);
    for (const length of [1023, 1024, 1025, 5000]) {
      const s = randomString(random, length);
      assert.equal(parts(s), xxh64Reference(s), String(length));
    }
  });

  it('is not disturbed by a previous longer input in the scratch', () => {
    parts('a much longer string that fills the scratch with other bytes');
    assert.equal(hex64(parts('abc')), '44bc2cf5ad770999');
  });
});
