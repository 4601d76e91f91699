import assert from 'node:assert/strict';
import { xxh64Ready } from '../../src/hashing/xxh64';
import { pickFirst } from '../../src/balancing/policies/pick-first';
import { pickerEntries } from './cluster-fixture';

describe('PickFirst (A62)', () => {
  before(() => xxh64Ready);

  it('always picks the first entry in order', () => {
    const picker = pickFirst.create(pickerEntries([1, 1, 1]), { name: 'pick_first', shuffleAddressList: false }, { random: Math.random, updateSeed: 3 });
    assert.deepEqual([picker.pick(undefined), picker.pick(undefined)], [0, 0]);
  });

  it('shuffles once per update and keeps the order when an entry drops out', () => {
    const entries = pickerEntries(new Array<number>(8).fill(1));
    const config = { name: 'pick_first', shuffleAddressList: true } as const;
    const firsts = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const first = entries[pickFirst.create(entries, config, { random: Math.random, updateSeed: seed }).pick(undefined)]!;
      firsts.add(first.endpoint.address);
      // Same update, the chosen entry gone: the runner-up is stable.
      const rest = entries.filter((e) => e !== first);
      const second = pickFirst.create(rest, config, { random: Math.random, updateSeed: seed }).pick(undefined);
      const again = pickFirst.create(rest, config, { random: Math.random, updateSeed: seed }).pick(undefined);
      assert.equal(second, again);
      // And the first is stable within the update.
      assert.equal(entries[pickFirst.create(entries, config, { random: Math.random, updateSeed: seed }).pick(undefined)], first);
    }
    assert.ok(firsts.size > 3, `different updates shuffle differently (${firsts.size})`);
  });
});
