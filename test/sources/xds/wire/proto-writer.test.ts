import * as assert from 'node:assert/strict';
import { Writer, util } from 'protobufjs';
import { ProtoWriter } from '../../../../src/sources/xds/wire/proto-writer';

/** The same calls on our writer and on protobufjs' Writer (a BufferWriter under Node) must give the same bytes. */
function same(fill: (w: ProtoWriter | Writer) => void, what: string): Buffer {
  const ours = new ProtoWriter();
  fill(ours);
  const theirs = Writer.create();
  fill(theirs);
  const bytes = ours.finish();
  assert.deepStrictEqual(bytes, Buffer.from(theirs.finish()), what);
  return bytes;
}

const LongCtor = util.Long as unknown as { fromString(s: string, unsigned?: boolean): object; fromNumber(n: number): object };

describe('ProtoWriter', () => {
  it('writes 32-bit scalars as protobufjs does: negative int32 as 10 bytes, zigzag, fixed, floats, bools', () => {
    const ints = [0, 1, -1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32) - 5, 1.9, -1.9, NaN, Infinity];
    for (const v of ints) {
      for (const m of ['uint32', 'int32', 'sint32', 'fixed32', 'sfixed32'] as const) same((w) => w[m](v), `${m} ${v}`);
    }
    assert.equal(same((w) => w.int32(-1), 'int32 -1').length, 10);
    for (const v of [0, -0, 1.5, -2.25, 1e-45, 3.5e38, Infinity, -Infinity, NaN, 0.1, Number.MAX_VALUE]) {
      same((w) => w.float(v), `float ${v}`);
      same((w) => w.double(v), `double ${v}`);
    }
    for (const v of [true, false]) same((w) => w.bool(v), `bool ${v}`);
  });

  it('takes 64-bit values as numbers, decimal strings and Long-like objects, wrapping and truncating as protobufjs', () => {
    const values: unknown[] = [
      0,
      1,
      -1,
      2 ** 53,
      -(2 ** 53),
      2 ** 63,
      2 ** 64,
      2 ** 64 + 2 ** 12,
      -(2 ** 64) - 2 ** 12,
      1.9,
      -1.9,
      NaN,
      Infinity,
      -Infinity,
      '0',
      '1',
      '-1',
      '4294967296',
      '9007199254740993',
      '-9007199254740993',
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '18446744073709551615',
      '18446744073709551616',
      '-18446744073709551617',
      '123456789012345678901234567890',
      '999999999999999',
      '-999999999999999',
      '0000000000000000000000042',
      // Not plain decimals: read the way long's Long.fromString reads them.
      '+5',
      ' 7',
      '12ab',
      '1e3',
      'NaN',
      '-Infinity',
      '--5',
      LongCtor.fromString('-9223372036854775808'),
      LongCtor.fromString('18446744073709551615', true),
      LongCtor.fromNumber(300),
      { low: 5, high: 1 },
      { low: -1, high: -1 },
      { low: 0, high: 0 },
      {},
      true,
    ];
    for (const v of values) {
      for (const m of ['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'] as const) same((w) => w[m](v as number), `${m} ${String(v)}`);
    }
    // What protobufjs rejects, we reject.
    for (const bad of ['', '1-2']) {
      assert.throws(() => new ProtoWriter().int64(bad));
      assert.throws(() => Writer.create().int64(bad));
    }
  });

  it('takes bigints too (protobufjs would write 0 for them)', () => {
    const w = new ProtoWriter();
    w.int64(-1n).fixed64(2n ** 64n - 1n).sint64(-(2n ** 63n));
    const expected = Writer.create().int64('-1').fixed64('18446744073709551615').sint64('-9223372036854775808');
    assert.deepStrictEqual(w.finish(), Buffer.from(expected.finish()));
  });

  it('writes strings as protobufjs: unpaired surrogates as 3-byte WTF-8 below 40 units, U+FFFD from 40 up', () => {
    const strings = [
      '',
      'a',
      'é',
      '€',
      '😀',
      'a\ud800b', // lone high surrogate
      'a\udc00b', // lone low surrogate
      '\ud800',
      'x\udbff', // high surrogate at the end
      '\udc00\ud800', // reversed pair
      'z'.repeat(39),
      'z'.repeat(40),
      '😀'.repeat(19) + 'a', // 39 units with pairs
      '😀'.repeat(20),
      '\ud800'.repeat(39), // 117 bytes: the longest one-byte length
      '\ud800'.repeat(40),
      'é'.repeat(70),
      'wide ✓ '.repeat(3000),
    ];
    for (const s of strings) same((w) => w.string(s), JSON.stringify(s.slice(0, 20)));
    const short = same((w) => w.string('a\ud800'), 'lone surrogate, short');
    assert.deepStrictEqual(short, Buffer.from([4, 0x61, 0xed, 0xa0, 0x80]));
    const long = same((w) => w.string('\ud800' + 'a'.repeat(39)), 'lone surrogate, long');
    assert.deepStrictEqual(long.subarray(0, 4), Buffer.from([42, 0xef, 0xbf, 0xbd]));
  });

  it('writes bytes from Buffers, Uint8Arrays, number arrays and base64 strings', () => {
    for (const v of [Buffer.from([1, 2, 3]), new Uint8Array([4, 5]), [6, 7, 8], Buffer.alloc(0), new Uint8Array(0), 'AQID', Buffer.alloc(300, 9)]) {
      same((w) => w.bytes(v as Uint8Array), `bytes ${String(v).slice(0, 20)}`);
    }
  });

  it('writes nested lengths of every size, moving content when a length needs more than one byte', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 2_097_152]) {
      same((w) => {
        w.uint32(10).fork().uint32(8).uint32(1);
        w.uint32(18).bytes(Buffer.alloc(Math.max(0, size - 3), 0xab));
        w.ldelim().uint32(16).uint32(7);
      }, `content of ${size} bytes`);
    }
    // Deep nesting, each level adding to every enclosing length.
    same((w) => {
      for (let i = 0; i < 50; i++) w.uint32(10).fork().string('level'.repeat(i));
      for (let i = 0; i < 50; i++) w.ldelim();
    }, '50 levels');
  });

  it('returns a buffer of its own: a later writer, reusing the spare buffer, does not change it', () => {
    const first = new ProtoWriter().string('first').finish();
    const copy = Buffer.from(first);
    new ProtoWriter().string('second, and longer').finish();
    assert.deepStrictEqual(first, copy);
    assert.equal(first.length, 6);
  });

  it('rejects unbalanced fork and ldelim', () => {
    assert.throws(() => new ProtoWriter().ldelim(), /without fork/);
    assert.throws(() => new ProtoWriter().fork().finish(), /open fork/);
  });
});
