// The protobuf wire-format writer under the xDS encoder (wire-encoder.ts).
//
// Hand-written instead of protobufjs/minimal's Writer, which the encoder used before: loading
// protobufjs/minimal with its helpers (long, @protobufjs/base64, float, utf8, pool, …) cost
// 8–12 ms of the cold-start budget on the first request, and the wire format it writes is small
// and frozen. protobufjs stays the tool for parsing .proto files (build time, the
// descriptor-less slow path, tests) and for Nacos.
//
// It writes the bytes protobufjs' BufferWriter writes for the same calls, including its quirks:
// a negative int32 is a 10-byte varint, and a string shorter than 40 UTF-16 units is encoded in
// JS with an unpaired surrogate as its 3-byte (WTF-8) form while longer strings go through
// Buffer's native encoder, which writes U+FFFD for it. Unlike protobufjs it writes into one
// growing buffer rather than a list of operations: a nested message reserves one byte for its
// length and is moved when the length needs more (rare in requests, cheap when it happens).

import { int64FromValue, zigzagEncode64, type Int64Bits } from './int64';

const INITIAL_SIZE = 1024;
/** The largest buffer kept for the next writer; bigger ones are left to the GC. */
const MAX_SPARE_SIZE = 1 << 20;
/** Strings shorter than this (in UTF-16 units) are encoded in JS, as protobufjs does. */
const SHORT_STRING = 40;

/** The buffer of the last finished writer, reused by the next one (writers are synchronous). */
let spare: Buffer | undefined;

function varint32Size(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/**
 * Writes protobuf wire-format values into a growing buffer. {@link fork} opens a length-delimited
 * value (a nested message, a packed list, a map entry), {@link ldelim} closes it, and
 * {@link finish} returns the bytes and ends the writer.
 */
export class ProtoWriter {
  #buf: Buffer;
  #pos = 0;
  /** Start offsets of the open length-delimited values (their reserved length byte). */
  readonly #forks: number[] = [];
  readonly #bits: Int64Bits = { lo: 0, hi: 0 };

  constructor() {
    this.#buf = spare ?? Buffer.allocUnsafeSlow(INITIAL_SIZE);
    spare = undefined;
  }

  /** Makes room for `n` more bytes. */
  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let size = Math.max(this.#buf.length * 2, INITIAL_SIZE);
    while (size < need) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.#buf.copy(bigger, 0, 0, this.#pos);
    this.#buf = bigger;
  }

  /** uint32 (and tags, lengths): a varint of `value >>> 0`. */
  uint32(value: number): this {
    let v = value >>> 0;
    this.#ensure(5);
    const buf = this.#buf;
    let pos = this.#pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.#pos = pos;
    return this;
  }

  /** int32: a varint; negative values sign-extended to 64 bits (10 bytes). */
  int32(value: number): this {
    const v = value | 0;
    if (v >= 0) return this.uint32(v);
    this.#varint64(v >>> 0, 0xffffffff);
    return this;
  }

  /** sint32: a zigzag varint. */
  sint32(value: number): this {
    const v = value | 0;
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** bool: one byte, 1 for a truthy value. */
  bool(value: unknown): this {
    this.#ensure(1);
    this.#buf[this.#pos++] = value ? 1 : 0;
    return this;
  }

  #varint64(lo: number, hi: number): void {
    this.#ensure(10);
    const buf = this.#buf;
    let pos = this.#pos;
    while (hi !== 0) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[pos++] = lo;
    this.#pos = pos;
  }

  /** int64: a varint of the value's 64 bits (number, decimal string, bigint or Long-like). */
  int64(value: unknown): this {
    int64FromValue(value, this.#bits);
    this.#varint64(this.#bits.lo, this.#bits.hi);
    return this;
  }

  /** uint64: the same bits as {@link int64}. */
  uint64(value: unknown): this {
    return this.int64(value);
  }

  /** sint64: a zigzag varint of the value's 64 bits. */
  sint64(value: unknown): this {
    int64FromValue(value, this.#bits);
    zigzagEncode64(this.#bits);
    this.#varint64(this.#bits.lo, this.#bits.hi);
    return this;
  }

  /** fixed32: 4 bytes little-endian of `value >>> 0`. */
  fixed32(value: number): this {
    this.#ensure(4);
    this.#fixed32(value >>> 0);
    return this;
  }

  /** sfixed32: the same bytes as {@link fixed32}. */
  sfixed32(value: number): this {
    return this.fixed32(value);
  }

  #fixed32(v: number): void {
    const buf = this.#buf;
    const pos = this.#pos;
    buf[pos] = v & 0xff;
    buf[pos + 1] = (v >>> 8) & 0xff;
    buf[pos + 2] = (v >>> 16) & 0xff;
    buf[pos + 3] = v >>> 24;
    this.#pos = pos + 4;
  }

  /** fixed64: 8 bytes little-endian of the value's 64 bits. */
  fixed64(value: unknown): this {
    int64FromValue(value, this.#bits);
    this.#ensure(8);
    this.#fixed32(this.#bits.lo);
    this.#fixed32(this.#bits.hi);
    return this;
  }

  /** sfixed64: the same bytes as {@link fixed64}. */
  sfixed64(value: unknown): this {
    return this.fixed64(value);
  }

  /** float: 4 bytes IEEE 754 little-endian. */
  float(value: number): this {
    this.#ensure(4);
    this.#pos = this.#buf.writeFloatLE(value, this.#pos);
    return this;
  }

  /** double: 8 bytes IEEE 754 little-endian. */
  double(value: number): this {
    this.#ensure(8);
    this.#pos = this.#buf.writeDoubleLE(value, this.#pos);
    return this;
  }

  /** string: length-delimited UTF-8 (see the file comment for unpaired surrogates). */
  string(value: string): this {
    const n = value.length;
    if (n >= SHORT_STRING) {
      const len = Buffer.byteLength(value, 'utf8');
      this.uint32(len);
      this.#ensure(len);
      this.#pos += this.#buf.write(value, this.#pos, len, 'utf8');
      return this;
    }
    // At most 3 bytes per unit, so at most 117 bytes: a one-byte length prefix.
    this.#ensure(1 + 3 * n);
    const buf = this.#buf;
    const lengthAt = this.#pos;
    let pos = lengthAt + 1;
    for (let i = 0; i < n; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = (c >> 6) | 0xc0;
        buf[pos++] = (c & 0x3f) | 0x80;
      } else if ((c & 0xfc00) === 0xd800 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c & 0x3ff) << 10) + (value.charCodeAt(++i) & 0x3ff);
        buf[pos++] = (c >> 18) | 0xf0;
        buf[pos++] = ((c >> 12) & 0x3f) | 0x80;
        buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
        buf[pos++] = (c & 0x3f) | 0x80;
      } else {
        buf[pos++] = (c >> 12) | 0xe0;
        buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
        buf[pos++] = (c & 0x3f) | 0x80;
      }
    }
    buf[lengthAt] = pos - lengthAt - 1;
    this.#pos = pos;
    return this;
  }

  /** bytes: length-delimited; a string is taken as base64 (as protobufjs' BufferWriter does). */
  bytes(value: ArrayLike<number> | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : value;
    const len = bytes.length >>> 0;
    this.uint32(len);
    if (len > 0) {
      this.#ensure(len);
      this.#buf.set(bytes, this.#pos);
      this.#pos += len;
    }
    return this;
  }

  /** Opens a length-delimited value: what is written until {@link ldelim} is its content. */
  fork(): this {
    this.#ensure(1);
    this.#forks.push(this.#pos++);
    return this;
  }

  /** Closes the value opened by the last {@link fork}, writing its length before it. */
  ldelim(): this {
    const at = this.#forks.pop();
    if (at === undefined) throw new Error('protobuf: ldelim() without fork()');
    const len = this.#pos - at - 1;
    if (len < 0x80) {
      this.#buf[at] = len;
      return this;
    }
    const size = varint32Size(len);
    this.#ensure(size - 1);
    const buf = this.#buf;
    buf.copyWithin(at + size, at + 1, this.#pos);
    this.#pos += size - 1;
    let v = len;
    let pos = at;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos] = v;
    return this;
  }

  /** The bytes written, in a buffer of their own; the writer is done after this. */
  finish(): Buffer {
    if (this.#forks.length > 0) throw new Error('protobuf: finish() with an open fork()');
    const out = Buffer.allocUnsafe(this.#pos);
    this.#buf.copy(out, 0, 0, this.#pos);
    if (this.#buf.length <= MAX_SPARE_SIZE) spare = this.#buf;
    this.#buf = Buffer.alloc(0);
    this.#pos = 0;
    return out;
  }
}
