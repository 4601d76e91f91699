import assert from 'node:assert/strict';
import { xxh64, xxh64Ready } from '../../src/hashing/xxh64';
import { buildMaglevTable, maglev } from '../../src/balancing/policies/maglev';
import type { MaglevPolicy } from '../../src/model/cluster';
import { MeshError } from '../../src/errors';
import { pickerEntries, seededRandom } from './cluster-fixture';

const config: MaglevPolicy = { name: 'maglev', tableSize: 65_537 };
const KEYS = 20_000;

function ownersOf(table: Int32Array, size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (const o of table) counts[o]!++;
  return counts;
}

describe('Maglev', () => {
  before(() => xxh64Ready);

  it('fills every slot of the prime table, evenly for equal weights', () => {
    const table = buildMaglevTable(pickerEntries([1, 1, 1]), 65_537);
    assert.equal(table.length, 65_537);
    for (const c of ownersOf(table, 3)) assert.ok(Math.abs(c - 65_537 / 3) <= 1, String(c));
  });

  it('gives slots in proportion to weight', () => {
    const counts = ownersOf(buildMaglevTable(pickerEntries([1, 3]), 65_537), 2);
    assert.ok(Math.abs(counts[0]! / 65_537 - 0.25) < 0.001, String(counts));
  });

  it('maps the same hash to the same endpoint across rebuilds', () => {
    const a = maglev.create(pickerEntries([1, 1, 1]), config, { random: Math.random, updateSeed: 0 });
    const b = maglev.create(pickerEntries([1, 1, 1]), config, { random: Math.random, updateSeed: 1 });
    for (let i = 0; i < 1000; i++) assert.equal(a.pick(xxh64(`k${i}`)), b.pick(xxh64(`k${i}`)));
  });

  it('moves ≈1/N of keys when an endpoint is added', () => {
    const three = pickerEntries([1, 1, 1]);
    const four = pickerEntries([1, 1, 1, 1]);
    const p3 = maglev.create(three, config, { random: Math.random, updateSeed: 0 });
    const p4 = maglev.create(four, config, { random: Math.random, updateSeed: 0 });
    let moved = 0;
    for (let i = 0; i < KEYS; i++) {
      const h = xxh64(`user-${i}`);
      if (three[p3.pick(h)]!.endpoint.address !== four[p4.pick(h)]!.endpoint.address) moved++;
    }
    assert.ok(Math.abs(moved / KEYS - 0.25) < 0.05, String(moved / KEYS));
  });

  it('falls back to another usable endpoint, per key, when the owner is ejected', () => {
    const entries = pickerEntries([1, 1, 1]);
    const picker = maglev.create(entries, config, { random: Math.random, updateSeed: 0 });
    entries[0]!.load.ejected = true;
    for (let i = 0; i < 500; i++) {
      const h = xxh64(`k${i}`);
      const got = picker.pick(h);
      assert.notEqual(got, 0);
      assert.equal(picker.pick(h), got);
    }
    entries[1]!.load.ejected = entries[2]!.load.ejected = true;
    assert.equal(picker.pick(5n), -1);
  });

  it('starts at slot hash mod tableSize, exactly as BigInt arithmetic computes it', () => {
    const random = seededRandom(21);
    const u32 = () => BigInt(Math.floor(random() * 2 ** 32));
    const MAX = 0xffffffffffffffffn;
    for (const tableSize of [251, 65_537, 1_000_003]) {
      const entries = pickerEntries([1, 2, 3, 4, 5]);
      const table = buildMaglevTable(entries, tableSize);
      const picker = maglev.create(entries, { name: 'maglev', tableSize }, { random, updateSeed: 0 });
      const m = BigInt(tableSize);
      const queries = [0n, 1n, MAX, MAX - 1n, m, m - 1n, m * m, 0xffffffffn, 0x100000000n, (MAX / m) * m];
      for (let i = 0; i < 2000; i++) queries.push((u32() << 32n) | u32());
      for (const h of queries) assert.equal(picker.pick(h), table[Number(h % m)], `${tableSize}: ${h.toString(16)}`);
    }
  });

  it('uses a random slot without a request hash', () => {
    const picker = maglev.create(pickerEntries([1, 3]), config, { random: seededRandom(9), updateSeed: 0 });
    let second = 0;
    for (let i = 0; i < 100_000; i++) if (picker.pick(undefined) === 1) second++;
    assert.ok(Math.abs(second / 100_000 - 0.75) < 0.01, String(second));
  });

  it('rejects a table size that is not prime', () => {
    assert.throws(
      () => maglev.validate!({ name: 'maglev', tableSize: 65_536 }, 'lbPolicy'),
      (e: MeshError) => e.code === 'MESH_ERR_INVALID_CONFIG' && e.field === 'lbPolicy.tableSize',
    );
    maglev.validate!({ name: 'maglev', tableSize: 251 }, 'lbPolicy');
  });
});
