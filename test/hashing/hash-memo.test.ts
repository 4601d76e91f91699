import assert from 'node:assert/strict';
import { HashMemo } from '../../src/hashing/hash-memo';
import { xxh64Reference } from '../../src/hashing/xxh64';

describe('HashMemo', () => {
  it('returns XXH64 of the value, memoised or not', () => {
    const memo = new HashMemo(2);
    for (const v of ['alice', 'bob', 'alice', 'carol', 'alice']) assert.equal(memo.hash(v), xxh64Reference(v), v);
  });
  it('never holds more than its capacity', () => {
    const memo = new HashMemo(3);
    for (let i = 0; i < 100; i++) {
      memo.hash(`user-${i}`);
      assert.ok(memo.size >= 1 && memo.size <= 3, String(memo.size));
    }
  });
});
