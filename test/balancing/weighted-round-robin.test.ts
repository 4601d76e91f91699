import assert from 'node:assert/strict';
import { weightedRoundRobin } from '../../src/balancing/policies/weighted-round-robin';
import { countIndexes, pickerEntries, seededRandom } from './cluster-fixture';

describe('WeightedRoundRobin (EDF)', () => {
  const config = { name: 'weighted_round_robin' } as const;

  it('splits picks exactly by endpoint weight over a full cycle', () => {
    const picker = weightedRoundRobin.create(pickerEntries([1, 2, 7]), config, { random: seededRandom(4), updateSeed: 0 });
    const counts = countIndexes(() => picker.pick(undefined), 3, 100_000);
    assert.ok(Math.abs(counts[0]! - 10_000) <= 1 && Math.abs(counts[1]! - 20_000) <= 1 && Math.abs(counts[2]! - 70_000) <= 1, String(counts));
  });

  it('interleaves instead of sending bursts to the heavy endpoint', () => {
    const picker = weightedRoundRobin.create(pickerEntries([1, 1, 2]), config, { random: seededRandom(5), updateSeed: 0 });
    const window = countIndexes(() => picker.pick(undefined), 3, 40);
    assert.deepEqual(window.map((c) => Math.round(c / 10)), [1, 1, 2]);
  });

  it('works with a single entry', () => {
    const picker = weightedRoundRobin.create(pickerEntries([3]), config, { random: Math.random, updateSeed: 0 });
    assert.equal(picker.pick(undefined), 0);
    assert.equal(picker.pick(undefined), 0);
  });
});
