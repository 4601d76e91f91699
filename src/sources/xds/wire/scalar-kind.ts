// The protobuf scalar types as small numbers, so that the decoder and encoder (wire-decoder.ts,
// wire-encoder.ts) dispatch on a switch over integers rather than on type names.

/** A protobuf scalar type. */
export const enum ScalarKind {
  Double,
  Float,
  Int32,
  Uint32,
  Sint32,
  Fixed32,
  Sfixed32,
  Bool,
  String,
  Bytes,
  Int64,
  Uint64,
  Sint64,
  Fixed64,
  Sfixed64,
}

const KINDS: Readonly<Record<string, ScalarKind>> = Object.freeze({
  double: ScalarKind.Double,
  float: ScalarKind.Float,
  int32: ScalarKind.Int32,
  uint32: ScalarKind.Uint32,
  sint32: ScalarKind.Sint32,
  fixed32: ScalarKind.Fixed32,
  sfixed32: ScalarKind.Sfixed32,
  bool: ScalarKind.Bool,
  string: ScalarKind.String,
  bytes: ScalarKind.Bytes,
  int64: ScalarKind.Int64,
  uint64: ScalarKind.Uint64,
  sint64: ScalarKind.Sint64,
  fixed64: ScalarKind.Fixed64,
  sfixed64: ScalarKind.Sfixed64,
});

/** The kind of a scalar type name as written in a .proto file; throws for anything else. */
export function scalarKindOf(type: string, field: string): ScalarKind {
  const kind = KINDS[type];
  if (kind === undefined) throw new Error(`sidecarless: unsupported protobuf field type ${type} (${field})`);
  return kind;
}

/** True for the 64-bit integer kinds (read and written as decimal strings). */
export function isInt64Kind(kind: ScalarKind): boolean {
  return kind >= ScalarKind.Int64;
}

/** Wire type of each kind, indexed by {@link ScalarKind}. */
const WIRE_TYPES: readonly number[] = [1, 5, 0, 0, 0, 5, 5, 0, 2, 2, 0, 0, 0, 1, 1];

/** The wire type a value of this kind is written with (unpacked). */
export function wireTypeOf(kind: ScalarKind): number {
  return WIRE_TYPES[kind]!;
}
