import type { FieldInfo, MessageInfo } from '../descriptor-index';
import type { ProtoReader } from './proto-reader';
import { ScalarKind, isInt64Kind, scalarKindOf } from './scalar-kind';

// How the xDS decoder (wire-decoder.ts) reads each message type: the descriptor's fields
// (descriptor-index.ts) by field number, each with what to read and where to put it, built once
// per type on first use.

/** What a field holds. */
export const enum Kind {
  Scalar,
  Long,
  Enum,
  Message,
  Map,
}

/** How to read one field and where to put it. */
export interface FieldPlan {
  /** The property it is stored under (the field's name as declared). */
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
  messagePlan: MessagePlan | undefined;
  /** The oneof this field belongs to (its name is set to the field's name, as `oneofs: true` does). */
  readonly oneof: string | undefined;
  /** Map fields: how to read the key (field 1) and the value (field 2) of an entry. */
  readonly mapKey: FieldPlan | undefined;
  readonly mapValue: FieldPlan | undefined;
}

/** A decoder generated for one message type: the fields up to `end` as a plain object. */
export type CompiledDecoder = (r: ProtoReader, end: number, depth: number) => Record<string, unknown>;

/** How to decode one message type. */
export interface MessagePlan {
  /** Fields by number (a sparse array: field numbers are small). */
  readonly fields: readonly (FieldPlan | undefined)[];
  /** Decodes so far (the decoder compiles a type that is decoded often). */
  decodes: number;
  /** The type's own decoder, once it is hot (see compile-decoder.ts). */
  compiled: CompiledDecoder | undefined;
}

const plans = new WeakMap<MessageInfo, MessagePlan>();

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

export /** The plan of a message type, built on first use and kept. */
function planOf(type: MessageInfo): MessagePlan {
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
  plan = { fields, decodes: 0, compiled: undefined };
  plans.set(type, plan);
  return plan;
}
