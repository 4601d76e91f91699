import * as assert from 'node:assert/strict';
import { Reader, Writer } from 'protobufjs';
import { int64ToDecimal } from '../../../../src/sources/xds/wire/int64';
import { ProtoReader, RECURSION_LIMIT } from '../../../../src/sources/xds/wire/proto-reader';

type Method = 'uint32' | 'int32' | 'sint32' | 'fixed32' | 'sfixed32' | 'float' | 'double' | 'bool' | 'string' | 'bytes';
type LongMethod = 'int64' | 'uint64' | 'sint64' | 'fixed64' | 'sfixed64';

/** Bytes written by protobufjs' own Writer. */
function written(fill: (w: Writer) => void): Buffer {
  const w = Writer.create();
  fill(w);
  return Buffer.from(w.finish());
}

/** protobufjs' reading of one value of `method` from `bytes`, and where it stopped. */
function theirs(method: Method, bytes: Uint8Array): { value: unknown; pos: number } {
  const r = Reader.create(bytes);
  return { value: (r[method] as () => unknown).call(r), pos: r.pos };
}

function ours(method: Method, bytes: Uint8Array): { value: unknown; pos: number } {
  const r = new ProtoReader(bytes);
  return { value: (r[method] as () => unknown).call(r), pos: r.pos };
}

/** Our 64-bit read as a decimal string, the way the decoder prints it. */
function ours64(method: LongMethod, bytes: Uint8Array): string {
  const r = new ProtoReader(bytes);
  if (method === 'sint64') r.zigzag64();
  else if (method === 'fixed64' || method === 'sfixed64') r.fixed64();
  else r.varint64();
  assert.equal(r.pos, bytes.length);
  return int64ToDecimal(r.lo, r.hi, method !== 'uint64' && method !== 'fixed64');
}

function theirs64(method: LongMethod, bytes: Uint8Array): string {
  const r = Reader.create(bytes);
  return String((r[method] as () => unknown).call(r));
}

const INT32_EDGES = [0, 1, -1, 63, -64, 127, 128, 300, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 31 - 1, -(2 ** 31), -2, 123456789, -987654321];
const UINT32_EDGES = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
const INT64_EDGES = [
  '0',
  '1',
  '-1',
  '127',
  '128',
  '4294967295',
  '4294967296',
  '-4294967296',
  String(2 ** 53 - 1),
  String(2 ** 53),
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '-9223372036854775807',
  '1152921504606846976',
];
const UINT64_EDGES = ['0', '1', '4294967296', '9007199254740993', '9223372036854775808', '18446744073709551615', '18446744073709551614'];

describe('ProtoReader', () => {
  it('reads every 32-bit scalar edge value exactly as protobufjs does, stopping where it stops', () => {
    for (const v of INT32_EDGES) {
      for (const m of ['int32', 'sint32', 'sfixed32'] as const) {
        const bytes = written((w) => w[m](v));
        assert.deepEqual(ours(m, bytes), theirs(m, bytes), `${m} ${v}`);
      }
    }
    for (const v of UINT32_EDGES) {
      for (const m of ['uint32', 'fixed32'] as const) {
        const bytes = written((w) => w[m](v));
        assert.deepEqual(ours(m, bytes), theirs(m, bytes), `${m} ${v}`);
      }
    }
    for (const v of [0, 1, -0, 1.5, -2.25, 3.4028234663852886e38, 1e-45, Infinity, -Infinity, NaN, 0.1, Number.MAX_VALUE, Number.MIN_VALUE]) {
      for (const m of ['float', 'double'] as const) {
        const bytes = written((w) => w[m](v));
        assert.deepEqual(ours(m, bytes), theirs(m, bytes), `${m} ${v}`);
      }
    }
    for (const v of [true, false]) {
      const bytes = written((w) => w.bool(v));
      assert.deepEqual(ours('bool', bytes), theirs('bool', bytes));
    }
  });

  it('reads a negative int32 sent as a 10-byte varint, and keeps the low 32 bits of any wider varint', () => {
    const minusOne = written((w) => w.int32(-1));
    assert.equal(minusOne.length, 10);
    assert.deepEqual(ours('int32', minusOne), { value: -1, pos: 10 });
    const min = written((w) => w.int32(-(2 ** 31)));
    assert.deepEqual(ours('int32', min), { value: -(2 ** 31), pos: 10 });
    // The largest 64-bit varint read as uint32 / int32 / bool, as protobufjs does.
    const max = written((w) => w.uint64('18446744073709551615'));
    assert.equal(max.length, 10);
    for (const m of ['uint32', 'int32', 'bool'] as const) assert.deepEqual(ours(m, max), theirs(m, max), m);
    assert.deepEqual(ours('uint32', max), { value: 2 ** 32 - 1, pos: 10 });
    // 2^32 as bool is false: its low 32 bits are zero (protobufjs agrees).
    const twoTo32 = written((w) => w.uint64('4294967296'));
    assert.deepEqual(ours('bool', twoTo32), theirs('bool', twoTo32));
    assert.equal(ours('bool', twoTo32).value, false);
    // Varints of every length up to 10 bytes, read as uint32, with bytes after them.
    for (let bits = 0; bits <= 64; bits += 7) {
      const value = bits === 0 ? '0' : (2n ** BigInt(bits) - 1n).toString();
      const bytes = Buffer.concat([written((w) => w.uint64(value)), Buffer.from([0x2a, 0x2a])]);
      const r = new ProtoReader(bytes);
      assert.equal(r.uint32(), Number(BigInt.asUintN(32, BigInt(value))), `${bits} bits`);
      assert.equal(r.uint32(), 0x2a);
    }
  });

  it('reads sint32 zigzag extremes', () => {
    for (const [v, wire] of [
      [0, [0]],
      [-1, [1]],
      [1, [2]],
      [2 ** 31 - 1, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
      [-(2 ** 31), [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ] as const) {
      assert.deepEqual(written((w) => w.sint32(v)), Buffer.from(wire));
      assert.deepEqual(ours('sint32', Buffer.from(wire)), { value: v, pos: wire.length });
    }
  });

  it('reads 64-bit integers to the decimal strings protobufjs prints, beyond 2^53 included', () => {
    for (const v of INT64_EDGES) {
      for (const m of ['int64', 'sint64', 'sfixed64'] as const) {
        const bytes = written((w) => w[m](v));
        assert.equal(ours64(m, bytes), theirs64(m, bytes), `${m} ${v}`);
        assert.equal(ours64(m, bytes), v, `${m} ${v}`);
      }
    }
    for (const v of UINT64_EDGES) {
      for (const m of ['uint64', 'fixed64'] as const) {
        const bytes = written((w) => w[m](v));
        assert.equal(ours64(m, bytes), theirs64(m, bytes), `${m} ${v}`);
        assert.equal(ours64(m, bytes), v, `${m} ${v}`);
      }
    }
    // A negative int64 read as uint64 is its two's complement, as protobufjs prints it.
    const minusTwo = written((w) => w.int64('-2'));
    assert.equal(ours64('uint64', minusTwo), '18446744073709551614');
    assert.equal(theirs64('uint64', minusTwo), '18446744073709551614');
  });

  it('decodes strings as protobufjs BufferReader does: native UTF-8 with U+FFFD for invalid sequences', () => {
    const samples: number[][] = [
      [],
      [0x61],
      [0xc3, 0xa9], // é
      [0xe2, 0x82, 0xac], // €
      [0xf0, 0x9f, 0x98, 0x80], // U+1F600
      [0xed, 0xa0, 0x80], // an encoded lone surrogate (what protobufjs writes for one in a short string)
      [0x61, 0xff, 0x62], // invalid byte
      [0xc3], // truncated sequence at the end of the string
      [0xe2, 0x82, 0x61], // truncated sequence followed by ASCII
      [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
      [0xc0, 0xaf], // overlong '/'
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      Array.from({ length: 40 }, (_, i) => (i % 2 ? 0x80 : 0x61)), // long with continuation bytes alone
      Array.from({ length: 7 }, () => 0x7a), // the longest ASCII string built in JS
      Array.from({ length: 8 }, () => 0x7a),
      [0x61, 0x62, 0x63, 0xc3, 0xa9], // short, non-ASCII at the end
      Array.from({ length: 300 }, (_, i) => 0x20 + (i % 90)),
    ];
    for (const s of samples) {
      // Two strings, so the first one's bytes are followed by more input.
      const bytes = written((w) => w.bytes(Buffer.from(s)).bytes(Buffer.from([0x78])));
      const r = new ProtoReader(bytes);
      const p = Reader.create(bytes);
      assert.equal(r.string(), p.string(), JSON.stringify(s));
      assert.equal(r.pos, p.pos);
      assert.equal(r.string(), 'x');
      // A plain Uint8Array over the same bytes decodes the same way.
      assert.equal(new ProtoReader(new Uint8Array(bytes)).string(), Buffer.from(s).toString('utf8'));
    }
  });

  it('returns bytes as protobufjs does: views of the input of its class, a fresh empty Buffer when empty', () => {
    const bytes = written((w) => w.bytes(Buffer.from([1, 2, 3])).bytes(Buffer.alloc(0)));
    for (const input of [bytes, new Uint8Array(bytes)]) {
      const r = new ProtoReader(input);
      const p = Reader.create(input);
      const a = r.bytes();
      assert.deepStrictEqual(a, p.bytes());
      assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(input.subarray(0, 1)));
      assert.equal(a.buffer, input.buffer, 'a view, not a copy');
      const empty = r.bytes();
      assert.deepStrictEqual(empty, p.bytes());
      assert.ok(Buffer.isBuffer(empty) && empty.length === 0);
    }
  });

  it('throws a RangeError naming the offset on truncated input, for every kind of value', () => {
    const cases: [string, number[], (r: ProtoReader) => unknown][] = [
      ['empty varint', [], (r) => r.uint32()],
      ['varint cut short', [0x80], (r) => r.uint32()],
      ['varint cut short after 9 bytes', Array(9).fill(0xff), (r) => r.uint32()],
      ['64-bit varint cut short', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], (r) => r.varint64()],
      ['fixed32', [1, 2, 3], (r) => r.fixed32()],
      ['fixed64', [1, 2, 3, 4, 5, 6, 7], (r) => r.fixed64()],
      ['float', [0, 0], (r) => r.float()],
      ['double', [0, 0, 0, 0, 0, 0, 0], (r) => r.double()],
      ['string longer than the input', [5, 0x61, 0x62], (r) => r.string()],
      ['bytes longer than the input', [0x80, 0x01, 0x61], (r) => r.bytes()],
      ['skipped fixed64', [1, 2], (r) => r.skip(1)],
      ['skipped fixed32', [1, 2], (r) => r.skip(5)],
      ['skipped length-delimited', [3, 1], (r) => r.skip(2)],
      ['skipped varint', [0x80, 0x80], (r) => r.skip(0)],
      ['unterminated group', [0x08, 0x01], (r) => r.skip(3)],
    ];
    for (const [what, bytes, read] of cases) {
      assert.throws(() => read(new ProtoReader(Buffer.from(bytes))), (e: unknown) => e instanceof RangeError && /truncated input: \d+ byte\(s\) needed at offset \d+/.test(e.message), what);
    }
  });

  it('rejects varints longer than 10 bytes and invalid wire types', () => {
    const eleven = Buffer.from([...Array(10).fill(0x80), 0x00, ...Array(10).fill(0)]);
    assert.throws(() => new ProtoReader(eleven).uint32(), /varint longer than 10 bytes/);
    assert.throws(() => new ProtoReader(eleven).varint64(), /varint longer than 10 bytes/);
    assert.throws(() => new ProtoReader(eleven.subarray(0, 11)).uint32(), /varint longer than 10 bytes/);
    for (const wireType of [4, 6, 7]) assert.throws(() => new ProtoReader(Buffer.from([0, 0])).skip(wireType), /invalid wire type/);
  });

  it('skips unknown fields of every wire type, groups within groups included, as protobufjs does', () => {
    const bytes = written((w) => {
      w.uint32((1 << 3) | 0).int64('-1');
      w.uint32((2 << 3) | 1).fixed64('7');
      w.uint32((3 << 3) | 2).string('skip me');
      w.uint32((4 << 3) | 5).fixed32(9);
      w.uint32((5 << 3) | 3); // group 5 {
      w.uint32((1 << 3) | 0).uint32(300);
      w.uint32((2 << 3) | 3); //   group 2 {
      w.uint32((1 << 3) | 2).string('inner');
      w.uint32((2 << 3) | 4); //   }
      w.uint32((5 << 3) | 4); // }
      w.uint32((6 << 3) | 0).uint32(42);
    });
    const r = new ProtoReader(bytes);
    const p = Reader.create(bytes);
    for (let i = 0; i < 5; i++) {
      const tag = r.uint32();
      assert.equal(tag, p.uint32());
      r.skip(tag & 7);
      p.skipType(tag & 7);
      assert.equal(r.pos, p.pos);
    }
    assert.equal(r.uint32(), (6 << 3) | 0);
    assert.equal(r.uint32(), 42);
    assert.equal(r.pos, bytes.length);
  });

  it(`keeps the nesting limit for groups: ${RECURSION_LIMIT} levels skip, one more throws, as protobufjs`, () => {
    const nested = (levels: number) =>
      written((w) => {
        for (let i = 0; i < levels; i++) w.uint32((1 << 3) | 3);
        for (let i = 0; i < levels; i++) w.uint32((1 << 3) | 4);
      });
    const ok = nested(RECURSION_LIMIT + 1); // the outer group is skipped at depth 0
    const deep = nested(RECURSION_LIMIT + 2);
    const skip = (bytes: Buffer) => {
      const r = new ProtoReader(bytes);
      r.skip(r.uint32() & 7);
      return r.pos;
    };
    const skipTheirs = (bytes: Buffer) => {
      const r = Reader.create(bytes);
      r.skipType(r.uint32() & 7);
      return r.pos;
    };
    assert.equal(skip(ok), ok.length);
    assert.equal(skipTheirs(ok), ok.length);
    assert.throws(() => skip(deep), /maximum nesting depth exceeded/);
    assert.throws(() => skipTheirs(deep), /maximum nesting depth exceeded/);
  });
});
