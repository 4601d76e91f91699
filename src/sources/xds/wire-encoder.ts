import type { Writer } from 'protobufjs';
import { SCALAR_WIRE_TYPES, type EnumInfo, type MessageInfo } from './descriptor-index';

// Encodes a plain object (what decodeMessage returns: snake_case, enums and 64-bit ints as
// strings) as protobuf bytes, writing exactly what protobufjs'
// `type.encode(type.fromObject(value)).finish()` writes: fields in number order, proto3 repeated
// scalars packed, map entries as key 1 / value 2, null and absent fields skipped. It is driven by
// the descriptor's field tables (descriptor-index.ts) and protobufjs' Writer; hand-written because protobufjs only offers generated
// encode/fromObject functions, whose generation costs ≈ 10 ms at start-up for the request types
// and whose fromObject builds a message instance per object. Checked byte for byte against
// protobufjs in test/sources/xds/wire-encoder.test.ts.

/** The protobufjs/minimal pieces the encoder needs (resolved by protos.ts). */
export interface EncoderRuntime {
  readonly Writer: { create(): Writer };
  readonly util: { readonly base64: { length(s: string): number; decode(s: string, buf: Uint8Array, offset: number): number; test(s: string): boolean } };
}


interface EncodeField {
  readonly name: string;
  readonly id: number;
  readonly type: string;
  readonly repeated: boolean;
  readonly packed: boolean;
  readonly map: boolean;
  readonly keyType: string;
  readonly messageType?: MessageInfo;
  readonly enumType?: EnumInfo;
}

const plans = new WeakMap<MessageInfo, readonly EncodeField[]>();

function planOf(type: MessageInfo): readonly EncodeField[] {
  let plan = plans.get(type);
  if (plan) return plan;
  // type.fields is in field-number order, the order protobufjs writes.
  plan = type.fields.map((f) => {
    const messageType = f.resolved?.kind === 'message' ? f.resolved : undefined;
    const enumType = f.resolved?.kind === 'enum' ? f.resolved : undefined;
    return {
      name: f.name,
      id: f.id,
      type: enumType ? 'int32' : f.type,
      repeated: f.repeated,
      packed: f.packed,
      map: f.keyType !== undefined,
      keyType: f.keyType ?? '',
      messageType,
      enumType,
    };
  });
  plans.set(type, plan);
  return plan;
}

/** fromObject's conversion of one scalar or enum value; undefined when fromObject would drop it. */
function scalarValue(f: EncodeField, v: unknown, rt: EncoderRuntime): unknown {
  if (f.enumType) {
    if (typeof v === 'number') return v;
    const n = f.enumType.values[String(v)];
    return n;
  }
  switch (f.type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return (v as number) | 0;
    case 'uint32':
    case 'fixed32':
      return (v as number) >>> 0;
    case 'double':
    case 'float':
      return Number(v);
    case 'bool':
      return Boolean(v);
    case 'string':
      return String(v);
    case 'bytes':
      if (typeof v === 'string') {
        const buf = Buffer.alloc(rt.util.base64.length(v));
        rt.util.base64.decode(v, buf, 0);
        return buf;
      }
      return v;
    default:
      // 64-bit: the Writer takes numbers, decimal strings and Long objects.
      return v;
  }
}

function writeScalar(w: Writer, type: string, v: unknown): void {
  (w[type as keyof Writer] as (value: unknown) => Writer).call(w, v);
}

function tag(id: number, wireType: number): number {
  return ((id << 3) | wireType) >>> 0;
}

function encodeInto(type: MessageInfo, value: Record<string, unknown>, w: Writer, rt: EncoderRuntime): Writer {
  for (const f of planOf(type)) {
    const v = value[f.name];
    if (v === null || v === undefined) continue;
    if (f.map) {
      if (typeof v !== 'object') throw new TypeError(`${type.fullName}.${f.name}: object expected`);
      const entries = v as Record<string, unknown>;
      for (const key of Object.keys(entries)) {
        w.uint32(tag(f.id, 2)).fork().uint32(tag(1, SCALAR_WIRE_TYPES[f.keyType]!));
        writeScalar(w, f.keyType, key);
        const item = entries[key];
        if (f.messageType) {
          encodeInto(f.messageType, (item ?? {}) as Record<string, unknown>, w.uint32(tag(2, 2)).fork(), rt).ldelim();
        } else {
          const sv = scalarValue(f, item, rt);
          w.uint32(tag(2, SCALAR_WIRE_TYPES[f.type]!));
          writeScalar(w, f.type, sv ?? 0);
        }
        w.ldelim();
      }
      continue;
    }
    if (f.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${type.fullName}.${f.name}: array expected`);
      if (v.length === 0) continue;
      if (f.packed) {
        w.uint32(tag(f.id, 2)).fork();
        for (const item of v) writeScalar(w, f.type, scalarValue(f, item, rt) ?? 0);
        w.ldelim();
      } else if (f.messageType) {
        for (const item of v) encodeInto(f.messageType, (item ?? {}) as Record<string, unknown>, w.uint32(tag(f.id, 2)).fork(), rt).ldelim();
      } else {
        for (const item of v) {
          w.uint32(tag(f.id, SCALAR_WIRE_TYPES[f.type]!));
          writeScalar(w, f.type, scalarValue(f, item, rt));
        }
      }
      continue;
    }
    if (f.messageType) {
      if (typeof v !== 'object') throw new TypeError(`${type.fullName}.${f.name}: object expected`);
      encodeInto(f.messageType, v as Record<string, unknown>, w.uint32(tag(f.id, 2)).fork(), rt).ldelim();
      continue;
    }
    const sv = scalarValue(f, v, rt);
    if (sv === undefined) continue;
    w.uint32(tag(f.id, SCALAR_WIRE_TYPES[f.type]!));
    writeScalar(w, f.type, sv);
  }
  return w;
}

/** The protobuf encoding of `value` as a message of `type` (see the file comment). */
export function encodePlain(type: MessageInfo, value: object, rt: EncoderRuntime): Uint8Array {
  return encodeInto(type, value as Record<string, unknown>, rt.Writer.create(), rt).finish();
}
