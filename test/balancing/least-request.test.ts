import assert from 'node:assert/strict';
import { clampChoiceCount, leastRequest } from '../../src/balancing/policies/least-request';
import { countIndexes, pickerEntries, seededRandom } from './cluster-fixture';

describe('LeastRequest (A48)', () => {
  const config = { name: 'least_request', choiceCount: 2 } as const;

  it('sends < 5 % of new picks to an endpoint holding 50 outstanding calls (check 27)', () => {
    const entries = pickerEntries([1, 1, 1, 1, 1]);
    entries[0]!.load.outstanding = 50;
    const picker = leastRequest.create(entries, config, { random: seededRandom(8), updateSeed: 0 });
    const share = countIndexes(() => picker.pick(undefined), 5, 100_000)[0]! / 100_000;
    // Chosen only when both samples hit it: (1/5)² = 4 %.
    assert.ok(share < 0.05 && share > 0.03, String(share));
  });

  it('keeps the first sampled entry on ties', () => {
    const samples = [0.9, 0.1]; // entry 3 then entry 0, both idle
    let k = 0;
    const picker = leastRequest.create(pickerEntries([1, 1, 1, 1]), config, { random: () => samples[k++ % 2]!, updateSeed: 0 });
    assert.equal(picker.pick(undefined), 3);
  });

  it('prefers the sampled entry with fewer outstanding calls', () => {
    const entries = pickerEntries([1, 1, 1, 1]);
    entries[3]!.load.outstanding = 2;
    const samples = [0.9, 0.1];
    let k = 0;
    const picker = leastRequest.create(entries, config, { random: () => samples[k++ % 2]!, updateSeed: 0 });
    assert.equal(picker.pick(undefined), 0);
  });

  it('samples with replacement choiceCount times, clamped to 2..10', () => {
    assert.equal(clampChoiceCount(1), 2);
    assert.equal(clampChoiceCount(20), 10);
    assert.equal(clampChoiceCount(5), 5);
    let draws = 0;
    const picker = leastRequest.create(pickerEntries([1, 1]), { name: 'least_request', choiceCount: 20 }, {
      random: () => (draws++, 0.3),
      updateSeed: 0,
    });
    picker.pick(undefined);
    assert.equal(draws, 10);
  });
});
