import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { xxh64, xxh64Ready, xxh64Reference } from '../../src/hashing/xxh64';
import { seededRandom } from '../balancing/cluster-fixture';
import { hex64, randomString, XXH64_VECTORS } from './xxh64-vectors';

describe('xxh64', () => {
  it('reference implementation matches the published vectors', () => {
    for (const [input, expected] of XXH64_VECTORS) assert.equal(hex64(xxh64Reference(input)), expected, input);
  });
  it('matches the same vectors once the WASM library is ready', async () => {
    await xxh64Ready;
    for (const [input, expected] of XXH64_VECTORS) assert.equal(hex64(xxh64(input)), expected, input);
  });
  it('agrees with the reference on long and non-ASCII input', async () => {
    await xxh64Ready;
    for (const s of ['x'.repeat(31), 'y'.repeat(32), 'z'.repeat(100), 'héllo wörld ✓ 漢字', 'a'.repeat(1000) + 'b']) {
      assert.equal(xxh64(s), xxh64Reference(s), s.slice(0, 10));
    }
  });
  it('agrees with the reference on both sides of the WASM threshold (lengths 0..80, random)', async () => {
    await xxh64Ready;
    const random = seededRandom(11);
    for (let length = 0; length <= 80; length++) {
      for (let i = 0; i < 4; i++) {
        const s = randomString(random, length, i % 2 === 0);
        assert.equal(xxh64(s), xxh64Reference(s), JSON.stringify(s));
      }
    }
  });
});

describe('xxh64 lazy WASM start', () => {
  // A fresh process: other tests in this one have already started the WASM module.
  it('importing starts nothing; the first long key starts WASM and is answered synchronously', () => {
    const modulePath = require.resolve('../../src/hashing/xxh64');
    const script = `
      const m = require(${JSON.stringify(modulePath)});
      const before = m.xxh64WasmActive();
      const shortHash = m.xxh64('short key').toString(16);
      const afterShort = m.xxh64WasmActive();
      const longHash = m.xxh64('k'.repeat(40)).toString(16);
      const syncAfterLong = m.xxh64WasmActive();
      Promise.resolve(m.xxh64Ready).then(() => {
        process.stdout.write(JSON.stringify({ before, afterShort, syncAfterLong, ready: m.xxh64WasmActive(),
          shortHash, longHash, wasmLong: m.xxh64('k'.repeat(40)).toString(16) }));
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const r = JSON.parse(out) as Record<string, unknown>;
    assert.equal(r.before, false);
    assert.equal(r.afterShort, false, 'a short key must not start WASM');
    assert.equal(r.syncAfterLong, false, 'the first long key is answered before WASM is ready');
    assert.equal(r.ready, true);
    assert.equal(r.shortHash, xxh64Reference('short key').toString(16));
    assert.equal(r.longHash, xxh64Reference('k'.repeat(40)).toString(16));
    assert.equal(r.wasmLong, r.longHash);
  });
});
