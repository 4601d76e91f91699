import assert from 'node:assert/strict';
import { RecencyCache } from '../../src/client/recency-cache';

describe('RecencyCache', () => {
  function cache(max: number): { c: RecencyCache<string, number>; evicted: string[] } {
    const evicted: string[] = [];
    return { c: new RecencyCache<string, number>(max, (k) => evicted.push(k)), evicted };
  }

  it('evicts the least recently set or used entry once over its size, calling onEvict', () => {
    const { c, evicted } = cache(3);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    assert.equal(c.get('a'), 1); // a is now the newest
    c.touch('b'); // then b
    c.set('d', 4);
    assert.deepEqual(evicted, ['c']);
    c.set('e', 5);
    assert.deepEqual(evicted, ['c', 'a']);
    assert.equal(c.size, 3);
    assert.deepEqual(['b', 'd', 'e'].map((k) => c.has(k)), [true, true, true]);
  });

  it('re-setting a key refreshes it without evicting; touching the newest key twice keeps the order', () => {
    const { c, evicted } = cache(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 10);
    c.touch('a');
    c.set('c', 3);
    assert.deepEqual(evicted, ['b']);
    assert.equal(c.get('a'), 10);
  });

  it('delete and clear never call onEvict; a deleted newest key can be touched back only after set', () => {
    const { c, evicted } = cache(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.delete('b'), true);
    c.touch('b');
    assert.equal(c.has('b'), false);
    c.set('b', 3);
    c.set('c', 4);
    assert.deepEqual(evicted, ['a']);
    c.clear();
    assert.equal(c.size, 0);
    assert.deepEqual(evicted, ['a']);
    assert.equal(c.max, 2);
  });
});
