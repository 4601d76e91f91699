import { ErrorCode, MeshError } from '../errors';

/**
 * Checks that a decoded JSON value has an expected shape and returns it typed, or throws a
 * {@link MeshError} `MESH_ERR_CACHE_CORRUPT` naming the path. Hand-written because the cache needs
 * only these few combinators and a schema library would be a runtime dependency for one file.
 */
export type Shape<T> = (value: unknown, path: string) => T;

/** The error for a value that does not have the expected shape. */
export function corrupt(path: string, problem: string): MeshError {
  return new MeshError(ErrorCode.CACHE_CORRUPT, path ? `${path}: ${problem}` : problem, { field: path });
}

/** A string. */
export const str: Shape<string> = (v, path) => {
  if (typeof v !== 'string') throw corrupt(path, 'expected a string');
  return v;
};

/** A boolean. */
export const bool: Shape<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw corrupt(path, 'expected a boolean');
  return v;
};

/** An integer in [min, max]. */
export function int(min = 0, max = Number.MAX_SAFE_INTEGER): Shape<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw corrupt(path, `expected an integer ${min}..${max}`);
    return v;
  };
}

/** A base-10 integer string, as bigint (JSON has no bigint). */
export const bigintString: Shape<bigint> = (v, path) => {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw corrupt(path, 'expected an integer string');
  return BigInt(v);
};

/** One of the given strings. */
export function literal<T extends string>(...values: T[]): Shape<T> {
  return (v, path) => {
    if (!values.includes(v as T)) throw corrupt(path, `expected one of ${values.join(', ')}`);
    return v as T;
  };
}

/** A list whose items all have `item`'s shape. */
export function list<T>(item: Shape<T>): Shape<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw corrupt(path, 'expected a list');
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

/** The value, or undefined when absent. Only meaningful inside {@link record}. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (v, path) => (v === undefined ? undefined : shape(v, path));
}

/** A JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object with exactly these fields (unknown fields are corruption too); optional fields that are
 * absent stay absent in the result.
 */
export function record<T extends object>(fields: { [K in keyof T]-?: Shape<T[K]> }): Shape<T> {
  const entries = Object.entries(fields) as Array<[string, Shape<unknown>]>;
  return (v, path) => {
    if (!isObject(v)) throw corrupt(path, 'expected an object');
    for (const key of Object.keys(v)) if (!(key in fields)) throw corrupt(`${path}.${key}`, 'unexpected field');
    const out: Record<string, unknown> = {};
    for (const [key, shape] of entries) {
      const value = shape(v[key], `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

/** A union told apart by the string field `tag`. */
export function tagged<T>(tag: string, variants: Record<string, Shape<T>>): Shape<T> {
  return (v, path) => {
    const kind = isObject(v) ? v[tag] : undefined;
    if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) {
      throw corrupt(`${path}.${tag}`, `expected one of ${Object.keys(variants).join(', ')}`);
    }
    return variants[kind]!(v, path);
  };
}

/** An object of string values (labels). */
export const stringRecord: Shape<Record<string, string>> = (v, path) => {
  if (!isObject(v)) throw corrupt(path, 'expected an object');
  for (const [k, x] of Object.entries(v)) str(x, `${path}.${k}`);
  return { ...(v as Record<string, string>) };
};
