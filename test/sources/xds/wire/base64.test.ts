import * as assert from 'node:assert/strict';
import { util } from 'protobufjs';
import { base64Decode } from '../../../../src/sources/xds/wire/base64';

/** protobufjs' fromObject reading of a base64 `bytes` value (into a zeroed buffer, for comparison). */
function theirs(s: string): Buffer {
  const buf = Buffer.alloc(util.base64.length(s));
  util.base64.decode(s, buf, 0);
  return buf;
}

describe('base64Decode', () => {
  it('reads base64 as protobufjs fromObject does: padded or not, and nothing after the padding', () => {
    for (const s of ['', 'QQ==', 'QQ', 'QUI', 'QUI=', 'QUJD', 'AAECAwQFBgcICQ==', '+/+/', 'QQ==QUJD', Buffer.alloc(1000, 7).toString('base64')]) {
      assert.deepStrictEqual(base64Decode(s), theirs(s), JSON.stringify(s.slice(0, 20)));
    }
  });

  it('rejects what protobufjs rejects: other alphabets, whitespace, a lone trailing character', () => {
    for (const s of ['Q', 'QUJDR', 'a-_b', 'YWJj\n', 'YW Jj', '=QQ', 'é===']) {
      assert.throws(() => base64Decode(s), /invalid encoding/, JSON.stringify(s));
      assert.throws(() => theirs(s), /invalid encoding/, JSON.stringify(s));
    }
  });
});
