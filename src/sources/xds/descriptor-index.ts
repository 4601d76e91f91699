// The message and enum declarations of the precompiled descriptor (protobufjs JSON, see
// protos.ts), indexed by full name and turned into field tables only when a type is first used.
// The reader and writer (wire-decoder.ts, wire-encoder.ts) work from these tables, so start-up
// needs neither protobufjs' reflection classes (protobufjs/light: ≈ 20 ms to load) nor building
// a reflection object per declared type (≈ 10 ms), nor protobufjs/minimal: the wire reader and
// writer are ours (wire/proto-reader.ts, wire/proto-writer.ts).
// test/sources/xds/descriptor-index.test.ts checks every table against protobufjs' reflection.

/** A message type: its fields in field-number order. */
export interface MessageInfo {
  readonly kind: 'message';
  /** Fully-qualified name without the leading dot. */
  readonly fullName: string;
  readonly fields: readonly FieldInfo[];
}

/** An enum type: value names by number and numbers by name. */
export interface EnumInfo {
  readonly kind: 'enum';
  readonly fullName: string;
  readonly values: Readonly<Record<string, number>>;
  readonly valuesById: Readonly<Record<number, string>>;
}

/** One field of a message. */
export interface FieldInfo {
  readonly name: string;
  readonly id: number;
  /** The declared type: a scalar type name, or a message or enum name as written in the descriptor. */
  readonly type: string;
  readonly repeated: boolean;
  /** Key type of a map field; undefined for other fields. */
  readonly keyType: string | undefined;
  /** Proto3 repeated scalars and enums are packed unless declared `[packed = false]`. */
  readonly packed: boolean;
  /** Name of the oneof this field belongs to. */
  readonly oneof: string | undefined;
  /** The message or enum this field's type names (undefined for scalars). */
  readonly resolved: MessageInfo | EnumInfo | undefined;
}

interface JsonNamespace {
  readonly nested?: Record<string, JsonNamespace>;
  readonly fields?: Record<string, JsonField>;
  readonly oneofs?: Record<string, { readonly oneof: readonly string[] }>;
  readonly values?: Record<string, number>;
}

interface JsonField {
  readonly type: string;
  readonly id: number;
  readonly rule?: string;
  readonly keyType?: string;
  readonly options?: Record<string, unknown>;
}

/** Wire type of each scalar protobuf type. */
export const SCALAR_WIRE_TYPES: Readonly<Record<string, number>> = Object.freeze({
  double: 1,
  float: 5,
  int32: 0,
  uint32: 0,
  sint32: 0,
  fixed32: 5,
  sfixed32: 5,
  int64: 0,
  uint64: 0,
  sint64: 0,
  fixed64: 1,
  sfixed64: 1,
  bool: 0,
  string: 2,
  bytes: 2,
});

function isScalar(type: string): boolean {
  return SCALAR_WIRE_TYPES[type] !== undefined;
}

/** Declarations by full name, with field tables built on first use. */
export class DescriptorIndex {
  readonly #json = new Map<string, JsonNamespace>();
  readonly #built = new Map<string, MessageInfo | EnumInfo>();

  constructor(root: JsonNamespace) {
    const visit = (ns: JsonNamespace, prefix: string): void => {
      for (const [name, child] of Object.entries(ns.nested ?? {})) {
        const full = prefix ? `${prefix}.${name}` : name;
        if (child.fields || child.values) this.#json.set(full, child);
        visit(child, full);
      }
    };
    visit(root, '');
  }

  /** The message with this full name (no leading dot); throws if it is not declared. */
  message(fullName: string): MessageInfo {
    const t = this.#lookup(fullName);
    if (t?.kind !== 'message') throw new Error(`no such type: ${fullName}`);
    return t;
  }

  /** True if a message with this full name is declared. */
  hasMessage(fullName: string): boolean {
    return this.#lookup(fullName)?.kind === 'message';
  }

  #lookup(fullName: string): MessageInfo | EnumInfo | undefined {
    const built = this.#built.get(fullName);
    if (built) return built;
    const json = this.#json.get(fullName);
    if (!json) return undefined;
    if (json.values) {
      const valuesById: Record<number, string> = {};
      // As protobufjs: with aliases, the first name declared for a number wins.
      for (const [k, v] of Object.entries(json.values)) if (valuesById[v] === undefined) valuesById[v] = k;
      const e: EnumInfo = { kind: 'enum', fullName, values: json.values, valuesById };
      this.#built.set(fullName, e);
      return e;
    }
    const fields: FieldInfo[] = [];
    const info: MessageInfo = { kind: 'message', fullName, fields };
    // Registered before its fields resolve, so recursive types (Struct ↔ Value) terminate.
    this.#built.set(fullName, info);
    const oneofOf = new Map<string, string>();
    for (const [oneof, o] of Object.entries(json.oneofs ?? {})) for (const f of o.oneof) oneofOf.set(f, oneof);
    for (const [name, f] of Object.entries(json.fields ?? {})) {
      const resolved = isScalar(f.type) ? undefined : this.#resolve(f.type, fullName);
      if (!isScalar(f.type) && !resolved) throw new Error(`${fullName}.${name}: unresolvable type ${f.type}`);
      const repeated = f.rule === 'repeated';
      const packable = resolved?.kind === 'enum' || (resolved === undefined && f.type !== 'string' && f.type !== 'bytes');
      fields.push({
        name,
        id: f.id,
        type: f.type,
        repeated,
        keyType: f.keyType,
        packed: repeated && f.keyType === undefined && packable && f.options?.packed !== false,
        oneof: oneofOf.get(name),
        resolved,
      });
    }
    fields.sort((a, b) => a.id - b.id);
    return info;
  }

  /** Resolves a type reference as protobuf scoping does: innermost enclosing scope first. */
  #resolve(ref: string, from: string): MessageInfo | EnumInfo | undefined {
    if (ref.startsWith('.')) return this.#lookup(ref.slice(1));
    for (let scope = from; ; ) {
      const found = this.#lookup(scope ? `${scope}.${ref}` : ref);
      if (found) return found;
      if (!scope) return undefined;
      const dot = scope.lastIndexOf('.');
      scope = dot < 0 ? '' : scope.slice(0, dot);
    }
  }
}
