import assert from 'node:assert/strict';
import { roundRobin } from '../../src/balancing/policies/round-robin';
import { countIndexes, pickerEntries, seededRandom } from './cluster-fixture';

describe('RoundRobin', () => {
  const config = { name: 'round_robin' } as const;

  it('cycles through every entry in order, ignoring weights', () => {
    const picker = roundRobin.create(pickerEntries([1, 5, 1]), config, { random: () => 0, updateSeed: 0 });
    assert.deepEqual(Array.from({ length: 7 }, () => picker.pick(undefined)), [0, 1, 2, 0, 1, 2, 0]);
  });

  it('starts at a random offset', () => {
    const starts = new Set<number>();
    const random = seededRandom(1);
    for (let i = 0; i < 50; i++) starts.add(roundRobin.create(pickerEntries([1, 1, 1, 1]), config, { random, updateSeed: 0 }).pick(undefined));
    assert.deepEqual([...starts].sort(), [0, 1, 2, 3]);
  });

  it('gives each entry the same share', () => {
    const picker = roundRobin.create(pickerEntries([1, 1, 1]), config, { random: seededRandom(2), updateSeed: 0 });
    assert.deepEqual(countIndexes(() => picker.pick(undefined), 3, 30_000), [10_000, 10_000, 10_000]);
  });
});
