import { SCALAR_WIRE_TYPES, type EnumInfo, type MessageInfo } from './descriptor-index';
import { ProtoWriter } from './wire/proto-writer';
import { ScalarKind, scalarKindOf } from './wire/scalar-kind';

// Encodes a plain object (what decodeMessage returns: snake_case, enums and 64-bit ints as
// strings) as protobuf bytes, writing exactly what protobufjs'
// `type.encode(type.fromObject(value)).finish()` writes: fields in number order, proto3 repeated
// scalars packed, map entries as key 1 / value 2, null and absent fields skipped. It is driven by
// the descriptor's field tables (descriptor-index.ts) and our wire writer (wire/proto-writer.ts,
// which says why it is not protobufjs'); hand-written because protobufjs only offers generated
// encode/fromObject functions, whose generation costs ≈ 10 ms at start-up for the request types
// and whose fromObject builds a message instance per object. Checked byte for byte against
// protobufjs in test/sources/xds/wire-encoder.test.ts.

interface EncodeField {
  readonly name: string;
  readonly id: number;
  /** The scalar written (enums write int32); unused for message fields. */
  readonly kind: ScalarKind;
  readonly repeated: boolean;
  readonly packed: boolean;
  readonly map: boolean;
  readonly keyKind: ScalarKind;
  readonly keyTag: number;
  /** The tag of a scalar value: of the field, or of a map entry's value (field 2). */
  readonly valueTag: number;
  readonly messageType?: MessageInfo;
  readonly enumType?: EnumInfo;
}

const plans = new WeakMap<MessageInfo, readonly EncodeField[]>();

function tag(id: number, wireType: number): number {
  return ((id << 3) | wireType) >>> 0;
}

function planOf(type: MessageInfo): readonly EncodeField[] {
  let plan = plans.get(type);
  if (plan) return plan;
  // type.fields is in field-number order, the order protobufjs writes.
  plan = type.fields.map((f) => {
    const messageType = f.resolved?.kind === 'message' ? f.resolved : undefined;
    const enumType = f.resolved?.kind === 'enum' ? f.resolved : undefined;
    const scalarType = enumType ? 'int32' : f.type;
    const map = f.keyType !== undefined;
    const kind = messageType ? ScalarKind.Uint32 : scalarKindOf(scalarType, f.name);
    return {
      name: f.name,
      id: f.id,
      kind,
      repeated: f.repeated,
      packed: f.packed,
      map,
      keyKind: map ? scalarKindOf(f.keyType!, f.name) : ScalarKind.String,
      keyTag: map ? tag(1, SCALAR_WIRE_TYPES[f.keyType!]!) : 0,
      valueTag: messageType ? 0 : tag(map ? 2 : f.id, SCALAR_WIRE_TYPES[scalarType]!),
      messageType,
      enumType,
    };
  });
  plans.set(type, plan);
  return plan;
}

/** fromObject's conversion of one scalar or enum value; undefined when fromObject would drop it. */
function scalarValue(f: EncodeField, v: unknown): unknown {
  if (f.enumType) {
    if (typeof v === 'number') return v;
    return f.enumType.values[String(v)];
  }
  switch (f.kind) {
    case ScalarKind.Int32:
    case ScalarKind.Sint32:
    case ScalarKind.Sfixed32:
      return (v as number) | 0;
    case ScalarKind.Uint32:
    case ScalarKind.Fixed32:
      return (v as number) >>> 0;
    case ScalarKind.Double:
    case ScalarKind.Float:
      return Number(v);
    case ScalarKind.Bool:
      return Boolean(v);
    case ScalarKind.String:
      return String(v);
    case ScalarKind.Bytes:
      // Base64 text: never from sidecarless itself, so its decoder is loaded only if it comes.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return typeof v === 'string' ? (require('./wire/base64') as typeof import('./wire/base64')).base64Decode(v) : v;
    default:
      // 64-bit: the writer takes numbers, decimal strings and Long-like objects.
      return v;
  }
}

/** The writer call for each kind; the conversions (`|0`, `>>>0`, truthiness) are the writer's, as in protobufjs' Writer. */
const WRITE: Readonly<Record<ScalarKind, (w: ProtoWriter, v: unknown) => void>> = {
  [ScalarKind.Double]: (w, v) => w.double(v as number),
  [ScalarKind.Float]: (w, v) => w.float(v as number),
  [ScalarKind.Int32]: (w, v) => w.int32(v as number),
  [ScalarKind.Uint32]: (w, v) => w.uint32(v as number),
  [ScalarKind.Sint32]: (w, v) => w.sint32(v as number),
  [ScalarKind.Fixed32]: (w, v) => w.fixed32(v as number),
  [ScalarKind.Sfixed32]: (w, v) => w.sfixed32(v as number),
  [ScalarKind.Bool]: (w, v) => w.bool(v),
  [ScalarKind.String]: (w, v) => w.string(v as string),
  [ScalarKind.Bytes]: (w, v) => w.bytes(v as ArrayLike<number>),
  [ScalarKind.Int64]: (w, v) => w.int64(v),
  [ScalarKind.Uint64]: (w, v) => w.uint64(v),
  [ScalarKind.Sint64]: (w, v) => w.sint64(v),
  [ScalarKind.Fixed64]: (w, v) => w.fixed64(v),
  [ScalarKind.Sfixed64]: (w, v) => w.sfixed64(v),
};

function writeScalar(w: ProtoWriter, kind: ScalarKind, v: unknown): void {
  WRITE[kind](w, v);
}

function encodeInto(type: MessageInfo, value: Record<string, unknown>, w: ProtoWriter): void {
  for (const f of planOf(type)) {
    const v = value[f.name];
    if (v === null || v === undefined) continue;
    if (f.map) {
      if (typeof v !== 'object') throw new TypeError(`${type.fullName}.${f.name}: object expected`);
      const entries = v as Record<string, unknown>;
      for (const key of Object.keys(entries)) {
        w.uint32(tag(f.id, 2)).fork().uint32(f.keyTag);
        writeScalar(w, f.keyKind, key);
        const item = entries[key];
        if (f.messageType) {
          w.uint32(tag(2, 2)).fork();
          encodeInto(f.messageType, (item ?? {}) as Record<string, unknown>, w);
          w.ldelim();
        } else {
          w.uint32(f.valueTag);
          writeScalar(w, f.kind, scalarValue(f, item) ?? 0);
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
        for (const item of v) writeScalar(w, f.kind, scalarValue(f, item) ?? 0);
        w.ldelim();
      } else if (f.messageType) {
        for (const item of v) {
          w.uint32(tag(f.id, 2)).fork();
          encodeInto(f.messageType, (item ?? {}) as Record<string, unknown>, w);
          w.ldelim();
        }
      } else {
        for (const item of v) {
          w.uint32(f.valueTag);
          writeScalar(w, f.kind, scalarValue(f, item));
        }
      }
      continue;
    }
    if (f.messageType) {
      if (typeof v !== 'object') throw new TypeError(`${type.fullName}.${f.name}: object expected`);
      w.uint32(tag(f.id, 2)).fork();
      encodeInto(f.messageType, v as Record<string, unknown>, w);
      w.ldelim();
      continue;
    }
    const sv = scalarValue(f, v);
    if (sv === undefined) continue;
    w.uint32(f.valueTag);
    writeScalar(w, f.kind, sv);
  }
}

/** The protobuf encoding of `value` as a message of `type` (see the file comment), in a Buffer of its own. */
export function encodePlain(type: MessageInfo, value: object): Buffer {
  const w = new ProtoWriter();
  encodeInto(type, value as Record<string, unknown>, w);
  return w.finish();
}
