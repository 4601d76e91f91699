import assert from 'node:assert/strict';
import { utf8Into } from '../../src/hashing/utf8-into';
import { seededRandom } from '../balancing/cluster-fixture';
import { randomString } from './xxh64-vectors';

function encode(s: string): Buffer {
  const out = new Uint8Array(3 * s.length);
  return Buffer.from(out.subarray(0, utf8Into(s, out)));
}

describe('utf8Into', () => {
  it('encodes like Buffer.from(s, "utf8"): ASCII, 2-, 3- and 4-byte characters', () => {
    for (const s of ['', 'abc', 'é', '✓', '漢字', '😀', 'a😀b', '\u07ff\u0800\uffff']) {
      assert.deepEqual(encode(s), Buffer.from(s, 'utf8'), JSON.stringify(s));
    }
  });

  it('writes U+FFFD for lone surrogates, as Buffer.from does', () => {
    for (const s of ['\ud800', '\udc00', 'a\ud800b', '\udc00\ud800', '\ud83d']) {
      assert.deepEqual(encode(s), Buffer.from(s, 'utf8'), JSON.stringify(s));
    }
  });

  it('matches Buffer.from on random strings', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 2000; i++) {
      const s = randomString(random, i % 64);
      assert.deepEqual(encode(s), Buffer.from(s, 'utf8'), JSON.stringify(s));
    }
  });
});
