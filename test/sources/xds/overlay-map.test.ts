import assert from 'node:assert/strict';
import { OverlayMap } from '../../../src/sources/xds/overlay-map';

describe('OverlayMap', () => {
  it('behaves as a copy-on-write Map: every version keeps its own contents', () => {
    const base = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const v1 = OverlayMap.with(base, [
      ['b', 20],
      ['d', 4],
      ['a', undefined],
    ]);
    assert.deepEqual([...v1], [
      ['b', 20],
      ['c', 3],
      ['d', 4],
    ]);
    assert.equal(v1.size, 3);
    assert.equal(v1.get('a'), undefined);
    assert.equal(v1.has('a'), false);
    assert.equal(v1.get('b'), 20);
    assert.equal(v1.has('d'), true);
    const v2 = OverlayMap.with(v1, [
      ['d', undefined],
      ['a', 10],
      ['zz', undefined],
    ]);
    assert.deepEqual(new Map(v2), new Map([['a', 10], ['b', 20], ['c', 3]]));
    assert.equal(v2.size, 3);
    // Older versions and the base are untouched.
    assert.deepEqual([...base], [['a', 1], ['b', 2], ['c', 3]]);
    assert.deepEqual([...v1.keys()], ['b', 'c', 'd']);
    assert.deepEqual([...v1.values()], [20, 3, 4]);
    const seen: string[] = [];
    v2.forEach((v, k, m) => {
      assert.equal(m, v2);
      seen.push(`${k}=${v}`);
    });
    assert.deepEqual(seen.sort(), ['a=10', 'b=20', 'c=3']);
    assert.equal(OverlayMap.with(base, []), base, 'no change: the same map');
  });

  it('matches a plain Map over 5,000 random updates, flattening as the changes grow', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const reference = new Map<number, number>();
    for (let i = 0; i < 1000; i++) reference.set(i, i);
    let overlay: ReadonlyMap<number, number> = new Map(reference);
    const versions: Array<[ReadonlyMap<number, number>, Map<number, number>]> = [];
    let flattened = 0;
    for (let step = 0; step < 5000; step++) {
      const updates: Array<[number, number | undefined]> = [];
      for (let j = random(4); j >= 0; j--) {
        const key = random(1200);
        const value = random(3) === 0 ? undefined : step;
        updates.push([key, value]);
        if (value === undefined) reference.delete(key);
        else reference.set(key, value);
      }
      overlay = OverlayMap.with(overlay, updates);
      if (!(overlay instanceof OverlayMap)) flattened++;
      assert.equal(overlay.size, reference.size);
      if (step % 500 === 0) versions.push([overlay, new Map(reference)]);
    }
    assert.deepEqual(new Map(overlay), reference);
    for (const key of [0, 5, 999, 1100, 1199, 5000]) {
      assert.equal(overlay.get(key), reference.get(key));
      assert.equal(overlay.has(key), reference.has(key));
    }
    for (const [version, expected] of versions) assert.deepEqual(new Map(version), expected, 'an older version never changes');
    assert.ok(flattened > 10 && flattened < 1000, `flattened ${flattened} times`);
  });
});
