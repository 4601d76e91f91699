import assert from 'node:assert/strict';
import { HashMemo, MEMO_MIN_LENGTH } from '../../src/hashing/hash-memo';
import { xxh64Reference } from '../../src/hashing/xxh64';

const long = (s: string) => s.padEnd(MEMO_MIN_LENGTH, '#');

describe('HashMemo', () => {
  it('returns XXH64 of the value, memoised or not, short or long', () => {
    const memo = new HashMemo(2);
    for (const v of ['alice', 'bob', 'alice', 'carol', 'alice'].flatMap((s) => [s, long(s)])) {
      assert.equal(memo.hash(v), xxh64Reference(v), v);
    }
  });

  it('memoises long values only', () => {
    const memo = new HashMemo(8);
    memo.hash('a'.repeat(MEMO_MIN_LENGTH - 1));
    assert.equal(memo.size, 0);
    memo.hash(long('a'));
    memo.hash(long('a'));
    assert.equal(memo.size, 1);
  });

  it('never holds more than its capacity, and keeps serving after it empties', () => {
    const memo = new HashMemo(3);
    for (let i = 0; i < 100; i++) {
      const v = long(`user-${i}`);
      assert.equal(memo.hash(v), xxh64Reference(v));
      assert.ok(memo.size >= 1 && memo.size <= 3, String(memo.size));
    }
  });
});
