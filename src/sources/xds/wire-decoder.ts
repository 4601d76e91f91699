import type { Reader } from 'protobufjs';
import { SCALAR_WIRE_TYPES, type MessageInfo, type FieldInfo } from './descriptor-index';

// Decodes protobuf bytes straight into the plain objects that protobufjs'
// `type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false, oneofs: true })`
// returns, driven by the descriptor's field tables (descriptor-index.ts) and protobufjs' Reader.
// Hand-written because protobufjs offers no such path: its decode builds a message instance
// (generating a constructor, a decoder and a converter per type, ≈ 1 ms each at start-up) that
// toObject then copies again (two objects per message when 10,000 clusters × 10 endpoints arrive).
// test/sources/xds/wire-decoder.test.ts checks it against protobufjs on the same bytes.

/** The protobufjs/minimal piece the decoder needs (resolved by protos.ts). */
export interface DecoderRuntime {
  readonly Reader: { create(bytes: Uint8Array): Reader; readonly recursionLimit?: number };
}

const enum Kind {
  Scalar,
  Long,
  Enum,
  Message,
  Map,
}


const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

type ReadFn = (r: Reader) => unknown;

interface FieldPlan {
  readonly name: string;
  readonly kind: Kind;
  readonly repeated: boolean;
  /** Scalars and enums other than string/bytes may arrive packed (wire type 2). */
  readonly packable: boolean;
  readonly read: ReadFn;
  /** Enum: number → name. */
  readonly enumNames?: Readonly<Record<number, string>>;
  readonly messageType?: MessageInfo;
  /** The oneof this field belongs to (its name is set to the field's name, as `oneofs: true` does). */
  readonly oneof?: string;
  /** Map fields: how to read the key (field 1) and the value (field 2) of an entry. */
  readonly mapKey?: FieldPlan;
  readonly mapValue?: FieldPlan;
}

type Plan = ReadonlyMap<number, FieldPlan>;

const plans = new WeakMap<MessageInfo, Plan>();

function readerOf(type: string): ReadFn {
  const method = type as keyof Reader;
  return (r) => (r[method] as () => unknown).call(r);
}

function scalarPlan(name: string, type: string, repeated: boolean, oneof: string | undefined, resolved: FieldInfo['resolved']): FieldPlan {
  if (resolved?.kind === 'message') {
    return { name, kind: Kind.Message, repeated, packable: false, read: readerOf('uint32'), messageType: resolved, oneof };
  }
  if (resolved?.kind === 'enum') {
    return { name, kind: Kind.Enum, repeated, packable: true, read: readerOf('int32'), enumNames: resolved.valuesById, oneof };
  }
  if (SCALAR_WIRE_TYPES[type] === undefined) throw new Error(`sidecarless: unsupported protobuf field type ${type} (${name})`);
  const long = LONG_TYPES.has(type);
  return {
    name,
    kind: long ? Kind.Long : Kind.Scalar,
    repeated,
    packable: type !== 'string' && type !== 'bytes',
    read: readerOf(type),
    oneof,
  };
}

function planOf(type: MessageInfo): Plan {
  let plan = plans.get(type);
  if (plan) return plan;
  const fields = new Map<number, FieldPlan>();
  for (const f of type.fields) {
    if (f.keyType !== undefined) {
      fields.set(f.id, {
        name: f.name,
        kind: Kind.Map,
        repeated: false,
        packable: false,
        read: readerOf('uint32'),
        mapKey: scalarPlan('key', f.keyType, false, undefined, undefined),
        mapValue: scalarPlan('value', f.type, false, undefined, f.resolved),
      });
    } else {
      fields.set(f.id, scalarPlan(f.name, f.type, f.repeated, f.oneof, f.resolved));
    }
  }
  plan = fields;
  plans.set(type, plan);
  return plan;
}

function convert(r: Reader, f: FieldPlan, rt: DecoderRuntime, depth: number): unknown {
  switch (f.kind) {
    case Kind.Scalar:
      return f.read(r);
    case Kind.Long:
      // protobufjs reads a Long (or a number without the long package); both print like toObject.
      return String(f.read(r));
    case Kind.Enum: {
      const v = r.int32();
      const name = f.enumNames![v];
      return name === undefined ? v : name;
    }
    case Kind.Message: {
      const length = r.uint32();
      return decodeInto(r, f.messageType!, rt, r.pos + length, depth + 1);
    }
    default:
      throw new Error(`sidecarless: unexpected map entry value for ${f.name}`);
  }
}

function decodeInto(r: Reader, type: MessageInfo, rt: DecoderRuntime, end: number, depth: number): Record<string, unknown> {
  if (end > r.len) throw new RangeError('index out of range');
  if (depth > (rt.Reader.recursionLimit ?? 100)) throw new Error('maximum nesting depth exceeded');
  const plan = planOf(type);
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    const f = plan.get(tag >>> 3);
    if (f === undefined) {
      r.skipType(wireType);
      continue;
    }
    if (f.kind === Kind.Map) {
      const entryEnd = r.uint32() + r.pos;
      if (entryEnd > end) throw new RangeError('index out of range');
      let key: unknown = f.mapKey!.kind === Kind.Scalar && f.mapKey!.packable ? 0 : '';
      let value: unknown;
      while (r.pos < entryEnd) {
        const t = r.uint32();
        if (t >>> 3 === 1) key = convert(r, f.mapKey!, rt, depth);
        else if (t >>> 3 === 2) value = convert(r, f.mapValue!, rt, depth);
        else r.skipType(t & 7);
      }
      const map = (out[f.name] as Record<string, unknown> | undefined) ?? (out[f.name] = {});
      map[String(key)] = value ?? (f.mapValue!.kind === Kind.Message ? {} : f.mapValue!.kind === Kind.Scalar && !f.mapValue!.packable ? '' : 0);
      continue;
    }
    if (f.repeated) {
      const list = (out[f.name] as unknown[] | undefined) ?? (out[f.name] = []);
      if (f.packable && wireType === 2) {
        const packedEnd = r.uint32() + r.pos;
        while (r.pos < packedEnd) list.push(convert(r, f, rt, depth));
      } else {
        list.push(convert(r, f, rt, depth));
      }
      continue;
    }
    // A singular field seen twice keeps the last value (protobufjs does not merge messages either).
    out[f.name] = convert(r, f, rt, depth);
    if (f.oneof !== undefined) out[f.oneof] = f.name;
  }
  if (r.pos !== end) throw new RangeError('index out of range');
  return out;
}

/**
 * Decodes `bytes` as a message of `type` into a plain object: snake_case field names as declared,
 * 64-bit integers and enums as strings (unknown enum numbers stay numbers), bytes as the Reader
 * returns them, only the fields present on the wire, and for each set oneof member its oneof's
 * name mapped to the member's name. Unknown fields are skipped.
 */
export function decodePlain(type: MessageInfo, bytes: Uint8Array, rt: DecoderRuntime): Record<string, unknown> {
  const r = rt.Reader.create(bytes);
  return decodeInto(r, type, rt, r.len, 0);
}
