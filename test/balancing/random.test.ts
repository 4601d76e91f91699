import assert from 'node:assert/strict';
import { random } from '../../src/balancing/policies/random';
import { countIndexes, pickerEntries, seededRandom } from './cluster-fixture';

describe('Random', () => {
  it('picks in proportion to endpoint weight (1:3 ⇒ 25/75 ± 1 % of 100,000)', () => {
    const picker = random.create(pickerEntries([1, 3]), { name: 'random' }, { random: seededRandom(6), updateSeed: 0 });
    const counts = countIndexes(() => picker.pick(undefined), 2, 100_000);
    assert.ok(Math.abs(counts[0]! / 100_000 - 0.25) < 0.01, String(counts));
  });

  it('uses the injected random source', () => {
    const picker = random.create(pickerEntries([1, 1, 2]), { name: 'random' }, { random: () => 0.6, updateSeed: 0 });
    assert.equal(picker.pick(undefined), 2);
  });
});
