// The protobuf wire-format reader under the xDS decoder (wire-decoder.ts).
//
// Hand-written instead of protobufjs/minimal's Reader, which the decoder used before: loading
// protobufjs/minimal with its helpers (long, @protobufjs/base64, float, utf8, pool, …) cost
// 8–12 ms of the cold-start budget on the first decode, and the wire format it reads is small and
// frozen (varints, fixed 32/64, length-delimited, groups to skip). protobufjs stays the tool for
// parsing .proto files (build time, the descriptor-less slow path, tests) and for Nacos.
//
// What it returns matches protobufjs' BufferReader on well-formed input, value for value: varints
// keep their low 32 bits for 32-bit types, strings decode with Buffer's native UTF-8 (invalid
// sequences become U+FFFD, as utf8Slice does), bytes are views into the input of the input's own
// class (a Buffer's subarray is a Buffer, a Uint8Array's a Uint8Array; empty bytes are a fresh
// empty Buffer). Malformed input is an error rather than protobufjs' lenient reading: a value cut
// short by the end of the input (protobufjs returned the part of a string that was there) and a
// varint longer than 10 bytes throw, with the offset in the message.

/** Nesting allowed for messages and groups, as protoc's CodedInputStream (and protobufjs) allow. */
export const RECURSION_LIMIT = 100;

/** The longest varint: 64 bits in 7-bit groups. */
const MAX_VARINT_BYTES = 10;

/** Buffer's native UTF-8 decoder; present on every Node Buffer though not in its typings. */
interface Utf8Sliceable extends Buffer {
  utf8Slice(start: number, end: number): string;
}

/**
 * Below this many bytes an ASCII string is built in JS: cheaper than the call into utf8Slice
 * (≈ 20–50 ns against ≈ 90 ns for 2–6 bytes; from 8 bytes on the native call wins).
 */
const SHORT_STRING = 8;

function truncated(r: ProtoReader, need: number): RangeError {
  return new RangeError(`protobuf: truncated input: ${need} byte(s) needed at offset ${r.pos}, ${r.len - r.pos} left`);
}

/**
 * Reads protobuf wire-format values from a byte array, advancing {@link ProtoReader.pos}. One
 * instance per top-level decode; it allocates nothing per value beyond the values themselves.
 */
export class ProtoReader {
  /** The input, as given (bytes fields are views into it). */
  readonly buf: Uint8Array;
  /** Read position. */
  pos = 0;
  /** End of the input. */
  readonly len: number;
  /** Low 32 bits of the last {@link varint64} or {@link fixed64}, unsigned. */
  lo = 0;
  /** High 32 bits of the last {@link varint64} or {@link fixed64}, unsigned. */
  hi = 0;
  /** A Buffer over the same memory, for the native UTF-8 decoder. */
  readonly #text: Utf8Sliceable;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.len = buf.length;
    this.#text = (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)) as Utf8Sliceable;
  }

  /** A varint's low 32 bits, unsigned (uint32, tags, lengths). */
  uint32(): number {
    const buf = this.buf;
    const start = this.pos;
    // One byte: most tags and lengths.
    if (start < this.len && buf[start]! < 0x80) {
      this.pos = start + 1;
      return buf[start]!;
    }
    let value = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (start + i >= this.len) throw truncated(this, i + 1);
      const b = buf[start + i]!;
      // Bits 32 and up (an int32 written as a 10-byte negative, or a wider value) are dropped.
      if (i < 5) value |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        this.pos = start + i + 1;
        return value >>> 0;
      }
    }
    throw new Error(`protobuf: varint longer than 10 bytes at offset ${start}`);
  }

  /** int32: a varint's low 32 bits, signed. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** sint32: a zigzag varint. */
  sint32(): number {
    const n = this.uint32();
    return ((n >>> 1) ^ -(n & 1)) | 0;
  }

  /** bool: any varint whose low 32 bits are not all zero. */
  bool(): boolean {
    return this.uint32() !== 0;
  }

  /** A 64-bit varint into {@link lo} and {@link hi}. */
  varint64(): void {
    const buf = this.buf;
    const start = this.pos;
    const limit = Math.min(this.len, start + MAX_VARINT_BYTES);
    let lo = 0;
    let hi = 0;
    for (let pos = start; pos < limit; ) {
      const i = pos - start;
      const b = buf[pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= b << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        this.pos = pos;
        return;
      }
    }
    if (limit === this.len && limit - start < MAX_VARINT_BYTES) throw truncated(this, limit - start + 1);
    throw new Error(`protobuf: varint longer than 10 bytes at offset ${start}`);
  }

  /** sint64: a zigzag varint into {@link lo} and {@link hi}, as two's complement. */
  zigzag64(): void {
    this.varint64();
    const mask = -(this.lo & 1);
    this.lo = (((this.lo >>> 1) | (this.hi << 31)) ^ mask) >>> 0;
    this.hi = ((this.hi >>> 1) ^ mask) >>> 0;
  }

  /** fixed32: 4 bytes little-endian, unsigned. */
  fixed32(): number {
    const pos = this.pos;
    if (pos + 4 > this.len) throw truncated(this, 4);
    const buf = this.buf;
    this.pos = pos + 4;
    return (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24)) >>> 0;
  }

  /** sfixed32: 4 bytes little-endian, signed. */
  sfixed32(): number {
    return this.fixed32() | 0;
  }

  /** fixed64 and sfixed64: 8 bytes little-endian into {@link lo} and {@link hi}. */
  fixed64(): void {
    if (this.pos + 8 > this.len) throw truncated(this, 8);
    this.lo = this.fixed32();
    this.hi = this.fixed32();
  }

  /** float: 4 bytes IEEE 754 little-endian. */
  float(): number {
    const pos = this.pos;
    if (pos + 4 > this.len) throw truncated(this, 4);
    this.pos = pos + 4;
    return this.#text.readFloatLE(pos);
  }

  /** double: 8 bytes IEEE 754 little-endian. */
  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.len) throw truncated(this, 8);
    this.pos = pos + 8;
    return this.#text.readDoubleLE(pos);
  }

  /** The end offset of a length-delimited value whose length varint is next; checked against the input. */
  delimitedEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.len) throw truncated(this, length);
    return end;
  }

  /** string: length-delimited UTF-8. */
  string(): string {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    if (end - start < SHORT_STRING) {
      // Short ASCII (zone names, enum-like values): no native call. Anything else goes native.
      const buf = this.buf;
      let s = '';
      for (let i = start; i < end; i++) {
        const b = buf[i]!;
        if (b >= 0x80) return this.#text.utf8Slice(start, end);
        s += String.fromCharCode(b);
      }
      return s;
    }
    return this.#text.utf8Slice(start, end);
  }

  /** bytes: length-delimited, as a view into the input (a fresh empty Buffer when empty). */
  bytes(): Uint8Array {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    return start === end ? Buffer.alloc(0) : this.buf.subarray(start, end);
  }

  /** Skips one value of this wire type (an unknown field), groups included. */
  skip(wireType: number, depth = 0): void {
    if (depth > RECURSION_LIMIT) throw new Error('protobuf: maximum nesting depth exceeded');
    switch (wireType) {
      case 0:
        this.varint64();
        return;
      case 1:
        this.#advance(8);
        return;
      case 2:
        this.pos = this.delimitedEnd();
        return;
      case 3:
        // A group: fields up to the matching end-group tag (wire type 4).
        for (;;) {
          const inner = this.uint32() & 7;
          if (inner === 4) return;
          this.skip(inner, depth + 1);
        }
      case 5:
        this.#advance(4);
        return;
      default:
        throw new Error(`protobuf: invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  #advance(n: number): void {
    if (this.pos + n > this.len) throw truncated(this, n);
    this.pos += n;
  }
}
