import assert from 'node:assert/strict';
import { fastRandom } from '../../src/routing/fast-random';

describe('fastRandom', () => {
  it('returns values in [0, 1) spread evenly over 10 buckets (± 1 % of 100,000 draws)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const u = fastRandom();
      assert.ok(u >= 0 && u < 1, `out of range: ${u}`);
      buckets[Math.floor(u * 10)]!++;
    }
    for (const b of buckets) assert.ok(Math.abs(b / 100_000 - 0.1) <= 0.01, `bucket ${b}`);
  });
  it('does not repeat within a short run', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(fastRandom());
    assert.ok(seen.size > 9_990);
  });
});
