import type { MessageInfo } from './descriptor-index';
import type { DecoderHelpers } from './wire/compile-decoder';
import { Kind, planOf, type FieldPlan, type MessagePlan } from './wire/decode-plan';
import { int64ToDecimal } from './wire/int64';
import { ProtoReader, RECURSION_LIMIT } from './wire/proto-reader';
import { ScalarKind } from './wire/scalar-kind';

// Decodes protobuf bytes straight into the plain objects that protobufjs'
// `type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false, oneofs: true })`
// returns, driven by the descriptor's field tables (descriptor-index.ts) and our wire reader
// (wire/proto-reader.ts, which says why it is not protobufjs').
// Hand-written because protobufjs offers no such path: its decode builds a message instance
// (generating a constructor, a decoder and a converter per type, ≈ 1 ms each at start-up) that
// toObject then copies again (two objects per message when 10,000 clusters × 10 endpoints arrive).
// A type decoded often (an EDS push decodes each of its types 10,000 times or more) gets a
// decoder of its own (wire/compile-decoder.ts) after HOT_DECODES decodes; types seen only at
// start-up stay on the generic loop, which costs nothing to set up.
// test/sources/xds/wire-decoder.test.ts checks it against protobufjs on the same bytes.

/** Decodes of a message type before it gets a compiled decoder (compiling one costs ~0.1 ms). */
const HOT_DECODES = 64;

/** The compiler module, loaded when the first type gets hot: start-up never runs it. */
function compiler(): typeof import('./wire/compile-decoder') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./wire/compile-decoder') as typeof import('./wire/compile-decoder');
}

function readScalar(r: ProtoReader, kind: ScalarKind): unknown {
  switch (kind) {
    case ScalarKind.String:
      return r.string();
    case ScalarKind.Uint32:
      return r.uint32();
    case ScalarKind.Int32:
      return r.int32();
    case ScalarKind.Bool:
      return r.bool();
    case ScalarKind.Bytes:
      return r.bytes();
    case ScalarKind.Double:
      return r.double();
    case ScalarKind.Float:
      return r.float();
    case ScalarKind.Sint32:
      return r.sint32();
    case ScalarKind.Fixed32:
      return r.fixed32();
    case ScalarKind.Sfixed32:
      return r.sfixed32();
    // 64-bit: decimal strings, signed or not as protobufjs' Long prints them.
    case ScalarKind.Int64:
      r.varint64();
      return int64ToDecimal(r.lo, r.hi, true);
    case ScalarKind.Uint64:
      r.varint64();
      return int64ToDecimal(r.lo, r.hi, false);
    case ScalarKind.Sint64:
      r.zigzag64();
      return int64ToDecimal(r.lo, r.hi, true);
    case ScalarKind.Fixed64:
      r.fixed64();
      return int64ToDecimal(r.lo, r.hi, false);
    case ScalarKind.Sfixed64:
      r.fixed64();
      return int64ToDecimal(r.lo, r.hi, true);
  }
}

function convert(r: ProtoReader, f: FieldPlan, depth: number): unknown {
  switch (f.kind) {
    case Kind.Scalar:
    case Kind.Long:
      return readScalar(r, f.scalar);
    case Kind.Enum:
      return enumValue(f, r.int32());
    case Kind.Message:
      return nestedMessage(r, f, depth);
    default:
      throw new Error(`sidecarless: unexpected map entry value for ${f.name}`);
  }
}

function overrun(r: ProtoReader, end: number): RangeError {
  return new RangeError(`protobuf: a field runs past the end of its message (offset ${r.pos}, message ends at ${end})`);
}

/** Reads one field whose tag has just been read into `out` (skipping it when unknown). */
function decodeField(r: ProtoReader, plan: MessagePlan, out: Record<string, unknown>, tag: number, end: number, depth: number): void {
  const wireType = tag & 7;
  const f = plan.fields[tag >>> 3];
  if (f === undefined) {
    r.skip(wireType);
    return;
  }
  if (f.kind === Kind.Map) {
    const entryEnd = r.delimitedEnd();
    if (entryEnd > end) throw overrun(r, end);
    let key: unknown = f.mapKey!.kind === Kind.Scalar && f.mapKey!.packable ? 0 : '';
    let value: unknown;
    while (r.pos < entryEnd) {
      const t = r.uint32();
      if (t >>> 3 === 1) key = convert(r, f.mapKey!, depth);
      else if (t >>> 3 === 2) value = convert(r, f.mapValue!, depth);
      else r.skip(t & 7);
    }
    if (r.pos !== entryEnd) throw overrun(r, entryEnd);
    const map = (out[f.name] as Record<string, unknown> | undefined) ?? (out[f.name] = {});
    map[String(key)] = value ?? (f.mapValue!.kind === Kind.Message ? {} : f.mapValue!.kind === Kind.Scalar && !f.mapValue!.packable ? '' : 0);
    return;
  }
  if (f.repeated) {
    const list = (out[f.name] as unknown[] | undefined) ?? (out[f.name] = []);
    if (f.packable && wireType === 2) {
      const packedEnd = r.delimitedEnd();
      if (packedEnd > end) throw overrun(r, end);
      while (r.pos < packedEnd) list.push(convert(r, f, depth));
      if (r.pos !== packedEnd) throw overrun(r, packedEnd);
    } else {
      list.push(convert(r, f, depth));
    }
    return;
  }
  // A singular field seen twice keeps the last value (protobufjs does not merge messages either).
  out[f.name] = convert(r, f, depth);
  if (f.oneof !== undefined) out[f.oneof] = f.name;
}

const helpers: DecoderHelpers = {
  decodeField,
  overrun,
  readScalar,
  enumValue,
  message: nestedMessage,
};

/** An enum number as its name; unknown numbers stay numbers (as protobufjs' toObject). */
function enumValue(f: FieldPlan, v: number): string | number {
  const name = f.enumNames![v];
  return name === undefined ? v : name;
}

/** A length-delimited message of field `f`, one level deeper. */
function nestedMessage(r: ProtoReader, f: FieldPlan, depth: number): Record<string, unknown> {
  const end = r.delimitedEnd();
  return decodeInto(r, (f.messagePlan ??= planOf(f.messageType!)), end, depth + 1);
}

function decodeInto(r: ProtoReader, plan: MessagePlan, end: number, depth: number): Record<string, unknown> {
  if (depth > RECURSION_LIMIT) throw new Error('protobuf: maximum nesting depth exceeded');
  if (plan.compiled) return plan.compiled(r, end, depth);
  if (++plan.decodes === HOT_DECODES) plan.compiled = compiler().compileDecoder(plan, helpers);
  const out: Record<string, unknown> = {};
  while (r.pos < end) decodeField(r, plan, out, r.uint32(), end, depth);
  if (r.pos !== end) throw overrun(r, end);
  return out;
}

/**
 * Decodes `bytes` as a message of `type` into a plain object: snake_case field names as declared,
 * 64-bit integers as decimal strings, enums as names (unknown enum numbers stay numbers), bytes
 * as views into `bytes` (a Buffer's are Buffers), only the fields present on the wire, and for
 * each set oneof member its oneof's name mapped to the member's name. Unknown fields are skipped.
 * Malformed or truncated input throws.
 */
export function decodePlain(type: MessageInfo, bytes: Uint8Array): Record<string, unknown> {
  const r = new ProtoReader(bytes);
  return decodeInto(r, planOf(type), r.len, 0);
}
