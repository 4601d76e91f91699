import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { WeightedClusterPicker } from '../../src/routing/weighted-cluster-picker';
import { seededRandom, thrown } from './fixtures';

function shares(picker: WeightedClusterPicker, n = 100_000, seed = 3): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = picker.pick(random);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, v]) => [k, v / n]));
}

describe('WeightedClusterPicker', () => {
  it('splits 90/10 within ± 1 % over 100,000 picks', () => {
    const s = shares(new WeightedClusterPicker([{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }], 'f'));
    assert.ok(Math.abs(s.get('v1')! - 0.9) <= 0.01, `v1 ${s.get('v1')}`);
    assert.ok(Math.abs(s.get('v2')! - 0.1) <= 0.01, `v2 ${s.get('v2')}`);
  });
  it('never picks a zero-weight cluster (90/10/0)', () => {
    const s = shares(new WeightedClusterPicker([{ name: 'a', weight: 90 }, { name: 'b', weight: 10 }, { name: 'c', weight: 0 }], 'f'));
    assert.equal(s.has('c'), false);
  });
  it('walks cumulative weights: the first cluster whose running sum exceeds the draw', () => {
    const p = new WeightedClusterPicker([{ name: 'a', weight: 1 }, { name: 'b', weight: 2 }, { name: 'c', weight: 1 }], 'f');
    assert.equal(p.totalWeight, 4);
    assert.deepEqual([0, 0.25, 0.5, 0.74, 0.75, 0.99].map((r) => p.pick(() => r)), ['a', 'b', 'b', 'b', 'c', 'c']);
  });
  it('uses a binary search for many clusters with the same result', () => {
    const clusters = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, weight: i + 1 }));
    const p = new WeightedClusterPicker(clusters, 'f');
    const total = 210;
    for (let r = 0; r < total; r++) {
      let sum = 0;
      const expected = clusters.find((c) => (sum += c.weight) > r)!.name;
      assert.equal(p.pick(() => (r + 0.5) / total), expected, `r=${r}`);
    }
    const s = shares(p);
    assert.ok(Math.abs(s.get('c19')! - 20 / 210) <= 0.01);
  });
  it('rejects weights that sum to 0 or exceed 4,294,967,295', () => {
    const zero = thrown(() => new WeightedClusterPicker([{ name: 'a', weight: 0 }], 'routes[0].action.clusters'));
    assert.equal(zero.code, ErrorCode.INVALID_CONFIG);
    assert.equal(zero.field, 'routes[0].action.clusters');
    const empty = thrown(() => new WeightedClusterPicker([], 'w'));
    assert.equal(empty.field, 'w');
    const big = thrown(() => new WeightedClusterPicker([{ name: 'a', weight: 4_294_967_295 }, { name: 'b', weight: 1 }], 'w'));
    assert.equal(big.field, 'w');
    assert.doesNotThrow(() => new WeightedClusterPicker([{ name: 'a', weight: 4_294_967_294 }, { name: 'b', weight: 1 }], 'w'));
  });
  it('rejects negative or fractional weights and empty names, naming the entry', () => {
    assert.equal(thrown(() => new WeightedClusterPicker([{ name: 'a', weight: -1 }], 'w')).field, 'w[0].weight');
    assert.equal(thrown(() => new WeightedClusterPicker([{ name: 'a', weight: 1 }, { name: 'b', weight: 1.5 }], 'w')).field, 'w[1].weight');
    assert.equal(thrown(() => new WeightedClusterPicker([{ name: '', weight: 1 }], 'w')).field, 'w[0].name');
  });
});
