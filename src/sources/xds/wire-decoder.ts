import type { MessageInfo, FieldInfo } from './descriptor-index';
import { int64ToDecimal } from './wire/int64';
import { ProtoReader, RECURSION_LIMIT } from './wire/proto-reader';
import { ScalarKind, isInt64Kind, scalarKindOf } from './wire/scalar-kind';

// Decodes protobuf bytes straight into the plain objects that protobufjs'
// `type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false, oneofs: true })`
// returns, driven by the descriptor's field tables (descriptor-index.ts) and our wire reader
// (wire/proto-reader.ts, which says why it is not protobufjs').
// Hand-written because protobufjs offers no such path: its decode builds a message instance
// (generating a constructor, a decoder and a converter per type, ≈ 1 ms each at start-up) that
// toObject then copies again (two objects per message when 10,000 clusters × 10 endpoints arrive).
// test/sources/xds/wire-decoder.test.ts checks it against protobufjs on the same bytes.

const enum Kind {
  Scalar,
  Long,
  Enum,
  Message,
  Map,
}

interface FieldPlan {
  readonly name: string;
  readonly kind: Kind;
  /** The scalar read (Scalar, Long); Enum reads int32 and Message a length. */
  readonly scalar: ScalarKind;
  readonly repeated: boolean;
  /** Scalars and enums other than string/bytes may arrive packed (wire type 2). */
  readonly packable: boolean;
  /** Enum: number → name. */
  readonly enumNames: Readonly<Record<number, string>> | undefined;
  readonly messageType: MessageInfo | undefined;
  /** The plan of `messageType`, set on first use (a WeakMap lookup per nested message costs ~5 %). */
  messagePlan: Plan | undefined;
  /** The oneof this field belongs to (its name is set to the field's name, as `oneofs: true` does). */
  readonly oneof: string | undefined;
  /** Map fields: how to read the key (field 1) and the value (field 2) of an entry. */
  readonly mapKey: FieldPlan | undefined;
  readonly mapValue: FieldPlan | undefined;
}

/** Fields by number (a sparse array: field numbers are small). */
type Plan = readonly (FieldPlan | undefined)[];

const plans = new WeakMap<MessageInfo, Plan>();

/** Every plan through here, so that all have one shape (the decoder's property reads stay monomorphic). */
function makePlan(
  name: string,
  kind: Kind,
  scalar: ScalarKind,
  repeated: boolean,
  packable: boolean,
  enumNames: FieldPlan['enumNames'],
  messageType: MessageInfo | undefined,
  oneof: string | undefined,
  mapKey: FieldPlan | undefined,
  mapValue: FieldPlan | undefined,
): FieldPlan {
  return { name, kind, scalar, repeated, packable, enumNames, messageType, messagePlan: undefined, oneof, mapKey, mapValue };
}

function fieldPlan(name: string, type: string, repeated: boolean, oneof: string | undefined, resolved: FieldInfo['resolved']): FieldPlan {
  if (resolved?.kind === 'message') {
    return makePlan(name, Kind.Message, ScalarKind.Uint32, repeated, false, undefined, resolved, oneof, undefined, undefined);
  }
  if (resolved?.kind === 'enum') {
    return makePlan(name, Kind.Enum, ScalarKind.Int32, repeated, true, resolved.valuesById, undefined, oneof, undefined, undefined);
  }
  const scalar = scalarKindOf(type, name);
  const packable = scalar !== ScalarKind.String && scalar !== ScalarKind.Bytes;
  return makePlan(name, isInt64Kind(scalar) ? Kind.Long : Kind.Scalar, scalar, repeated, packable, undefined, undefined, oneof, undefined, undefined);
}

function planOf(type: MessageInfo): Plan {
  let plan = plans.get(type);
  if (plan) return plan;
  const fields: (FieldPlan | undefined)[] = [];
  for (const f of type.fields) {
    fields[f.id] =
      f.keyType === undefined
        ? fieldPlan(f.name, f.type, f.repeated, f.oneof, f.resolved)
        : makePlan(
            f.name,
            Kind.Map,
            ScalarKind.Uint32,
            false,
            false,
            undefined,
            undefined,
            undefined,
            fieldPlan('key', f.keyType, false, undefined, undefined),
            fieldPlan('value', f.type, false, undefined, f.resolved),
          );
  }
  plan = fields;
  plans.set(type, plan);
  return plan;
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
    case Kind.Enum: {
      const v = r.int32();
      const name = f.enumNames![v];
      return name === undefined ? v : name;
    }
    case Kind.Message: {
      const end = r.delimitedEnd();
      return decodeInto(r, (f.messagePlan ??= planOf(f.messageType!)), end, depth + 1);
    }
    default:
      throw new Error(`sidecarless: unexpected map entry value for ${f.name}`);
  }
}

function overrun(r: ProtoReader, end: number): RangeError {
  return new RangeError(`protobuf: a field runs past the end of its message (offset ${r.pos}, message ends at ${end})`);
}

function decodeInto(r: ProtoReader, plan: Plan, end: number, depth: number): Record<string, unknown> {
  if (depth > RECURSION_LIMIT) throw new Error('protobuf: maximum nesting depth exceeded');
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    const f = plan[tag >>> 3];
    if (f === undefined) {
      r.skip(wireType);
      continue;
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
      continue;
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
      continue;
    }
    // A singular field seen twice keeps the last value (protobufjs does not merge messages either).
    out[f.name] = convert(r, f, depth);
    if (f.oneof !== undefined) out[f.oneof] = f.name;
  }
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
