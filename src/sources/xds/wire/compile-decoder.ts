import { Kind, type CompiledDecoder, type FieldPlan, type MessagePlan } from './decode-plan';
import type { ProtoReader } from './proto-reader';
import { ScalarKind, wireTypeOf } from './scalar-kind';

// A decoder of its own for a message type that is decoded often (wire-decoder.ts decides when).
//
// The generic decoder stores every field through one `out[f.name] = …` site, which V8 sees with
// every field name of every type: a megamorphic store, and the largest cost of a big EDS push.
// The function generated here has a `case` per field tag with constant property names, so each
// store site sees one shape transition: an EDS push decodes about 1.7× faster. It only calls the reader
// and the helpers it is given; any tag it does not expect (packed lists, maps, unknown fields, a
// wire type that does not match the declaration) goes to the generic decodeField, so both paths
// decode alike. Property names are the descriptor's (our own file), quoted with JSON.stringify.

/** What compiled decoders call back into (wire-decoder.ts). */
export interface DecoderHelpers {
  /** The generic decoder's handling of one field whose tag has been read. */
  decodeField(r: ProtoReader, plan: MessagePlan, out: Record<string, unknown>, tag: number, end: number, depth: number): void;
  /** The error for a message whose fields run past its end. */
  overrun(r: ProtoReader, end: number): Error;
  /** Reads a scalar of any kind (the 64-bit ones as decimal strings). */
  readScalar(r: ProtoReader, kind: ScalarKind): unknown;
  /** An enum number as its name (unknown numbers stay numbers). */
  enumValue(f: FieldPlan, v: number): string | number;
  /** Reads a length-delimited nested message of field `f`. */
  message(r: ProtoReader, f: FieldPlan, depth: number): Record<string, unknown>;
}

/** The reader call for each scalar kind that has a direct one (64-bit kinds go through readScalar). */
const DIRECT_READS: Partial<Record<ScalarKind, string>> = {
  [ScalarKind.String]: 'r.string()',
  [ScalarKind.Uint32]: 'r.uint32()',
  [ScalarKind.Int32]: 'r.int32()',
  [ScalarKind.Bool]: 'r.bool()',
  [ScalarKind.Bytes]: 'r.bytes()',
  [ScalarKind.Double]: 'r.double()',
  [ScalarKind.Float]: 'r.float()',
  [ScalarKind.Sint32]: 'r.sint32()',
  [ScalarKind.Fixed32]: 'r.fixed32()',
  [ScalarKind.Sfixed32]: 'r.sfixed32()',
};

/** The `case` of one field's expected tag, or undefined for fields left to the generic path (maps). */
function caseOf(f: FieldPlan, id: number): string | undefined {
  let read: string;
  let wireType: number;
  switch (f.kind) {
    case Kind.Map:
      return undefined;
    case Kind.Message:
      read = `H.message(r, F[${id}], depth)`;
      wireType = 2;
      break;
    case Kind.Enum:
      read = `H.enumValue(F[${id}], r.int32())`;
      wireType = 0;
      break;
    default:
      read = DIRECT_READS[f.scalar] ?? `H.readScalar(r, ${f.scalar})`;
      wireType = wireTypeOf(f.scalar);
  }
  const key = JSON.stringify(f.name);
  const tag = ((id << 3) | wireType) >>> 0;
  if (f.repeated) return `case ${tag}: (out[${key}] ??= []).push(${read}); break;`;
  const oneof = f.oneof === undefined ? '' : ` out[${JSON.stringify(f.oneof)}] = ${key};`;
  // A singular field seen twice keeps the last value, as in decodeField.
  return `case ${tag}: out[${key}] = ${read};${oneof} break;`;
}

/**
 * A decoder for `plan`'s type: `(reader, end, depth) → plain object`, decoding exactly as the
 * generic path does. Undefined where code generation is disallowed
 * (`--disallow-code-generation-from-strings`): the caller stays on the generic path.
 */
export function compileDecoder(plan: MessagePlan, helpers: DecoderHelpers): CompiledDecoder | undefined {
  const cases: string[] = [];
  plan.fields.forEach((f, id) => {
    const c = f && caseOf(f, id);
    if (c) cases.push(c);
  });
  const body = `"use strict";
return function decode(r, end, depth) {
  const out = {};
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      ${cases.join('\n      ')}
      default: H.decodeField(r, P, out, tag, end, depth);
    }
  }
  if (r.pos !== end) throw H.overrun(r, end);
  return out;
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('F', 'P', 'H', body)(plan.fields, plan, helpers) as CompiledDecoder;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
