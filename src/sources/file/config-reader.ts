import { InvalidConfigError } from '../../errors';

/**
 * Appends a key or index to a field path: `clusters` + `a` → `clusters.a`, + 0 → `clusters.a[0]`.
 * Keys that would make the path ambiguous (dots, brackets, spaces) are quoted:
 * `services["reviews.default.svc:9080"]`.
 */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!/^[A-Za-z0-9_\-:*/|@]+$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Whether a parsed value is a plain mapping (not an array, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list item with its field path. */
export interface ConfigItem {
  readonly value: unknown;
  readonly path: string;
}

/**
 * Reads one mapping of a parsed config document, checking types and ranges and naming the field in
 * every error. Keys outside `allowed` are errors, so a typo never passes silently. `null` values
 * (YAML `key:` with nothing after it) count as absent.
 */
export class ConfigReader {
  /** Field path of this mapping. */
  readonly path: string;
  readonly #obj: Record<string, unknown>;

  constructor(value: unknown, path: string, allowed: readonly string[]) {
    if (!isMapping(value)) throw new InvalidConfigError(path, `must be a mapping, got ${describeType(value)}`);
    this.path = path;
    this.#obj = value;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const hint = closest(key, allowed);
        throw new InvalidConfigError(
          joinPath(path, key),
          hint ? `unknown field (did you mean "${hint}"?)` : `unknown field (expected one of: ${allowed.join(', ')})`,
        );
      }
    }
  }

  /** The keys present with a non-null value. */
  keys(): string[] {
    return Object.keys(this.#obj).filter((k) => this.has(k));
  }

  /** Whether `key` is present with a non-null value. */
  has(key: string): boolean {
    const v = this.#obj[key];
    return v !== undefined && v !== null;
  }

  /** Path of a field of this mapping. */
  pathOf(key: string): string {
    return joinPath(this.path, key);
  }

  /** The raw value, undefined when absent. */
  raw(key: string): unknown {
    return this.has(key) ? this.#obj[key] : undefined;
  }

  /** A required value of any type. */
  required(key: string): unknown {
    if (!this.has(key)) throw new InvalidConfigError(this.pathOf(key), 'is required');
    return this.#obj[key];
  }

  /** An optional string; `nonEmpty` rejects "". */
  string(key: string, nonEmpty = true): string | undefined {
    return this.has(key) ? readString(this.#obj[key], this.pathOf(key), nonEmpty) : undefined;
  }

  /** A required string. */
  requiredString(key: string, nonEmpty = true): string {
    return readString(this.required(key), this.pathOf(key), nonEmpty);
  }

  /** An optional integer in [min, max]. */
  int(key: string, min: number, max: number): number | undefined {
    return this.has(key) ? readInt(this.#obj[key], this.pathOf(key), min, max) : undefined;
  }

  /** An optional finite number in [min, max] (decimals allowed). */
  number(key: string, min: number, max: number): number | undefined {
    return this.has(key) ? readNumber(this.#obj[key], this.pathOf(key), min, max) : undefined;
  }

  /** An optional boolean. */
  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.#obj[key];
    if (typeof v !== 'boolean') throw new InvalidConfigError(this.pathOf(key), `must be true or false, got ${describeType(v)}`);
    return v;
  }

  /** An optional nested mapping with its own allowed keys. */
  object(key: string, allowed: readonly string[]): ConfigReader | undefined {
    return this.has(key) ? new ConfigReader(this.#obj[key], this.pathOf(key), allowed) : undefined;
  }

  /** An optional list; each item comes with its path. */
  list(key: string): ConfigItem[] | undefined {
    if (!this.has(key)) return undefined;
    return readList(this.#obj[key], this.pathOf(key));
  }

  /** An optional mapping of names to values, each with its path, in document order. */
  entries(key: string): Array<[string, ConfigItem]> | undefined {
    if (!this.has(key)) return undefined;
    return readEntries(this.#obj[key], this.pathOf(key));
  }

  /** An optional mapping of strings to strings (labels). */
  stringMap(key: string): Record<string, string> | undefined {
    return this.has(key) ? readStringMap(this.#obj[key], this.pathOf(key)) : undefined;
  }
}

/** A list value, each item with its path. */
export function readList(value: unknown, path: string): ConfigItem[] {
  if (!Array.isArray(value)) throw new InvalidConfigError(path, `must be a list, got ${describeType(value)}`);
  return value.map((v, i) => ({ value: v, path: joinPath(path, i) }));
}

/** A mapping value as `[key, item]` pairs in document order. */
export function readEntries(value: unknown, path: string): Array<[string, ConfigItem]> {
  if (!isMapping(value)) throw new InvalidConfigError(path, `must be a mapping, got ${describeType(value)}`);
  return Object.entries(value).map(([k, v]) => [k, { value: v, path: joinPath(path, k) }]);
}

/** A list of non-empty strings, also accepted as one comma-separated string (`5xx,connect-failure`). */
export function readStringList(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return readList(value, path).map((item) => readString(item.value, item.path));
}

/** A mapping of strings to strings (labels); unquoted numbers and booleans become strings. */
export function readStringMap(value: unknown, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, item] of readEntries(value, path)) out[name] = readScalarString(item.value, item.path);
  return out;
}

/** A string value. */
export function readString(value: unknown, path: string, nonEmpty = true): string {
  if (typeof value !== 'string') throw new InvalidConfigError(path, `must be a string, got ${describeType(value)}`);
  if (nonEmpty && value === '') throw new InvalidConfigError(path, 'must not be empty');
  return value;
}

/** A label value: strings, and numbers or booleans written without quotes (`version: 2`), as strings. */
export function readScalarString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new InvalidConfigError(path, `must be a string, got ${describeType(value)}`);
}

/** An integer in [min, max]; YAML/JSON integers arrive as bigint (exact int64), decimals as number. */
export function readInt(value: unknown, path: string, min: number, max: number): number {
  let n: number;
  if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else throw new InvalidConfigError(path, `must be an integer, got ${describeType(value)}`);
  if (n < min || n > max) throw new InvalidConfigError(path, `must be ${min}..${max}, got ${String(value)}`);
  return n;
}

/** A finite number in [min, max]. */
export function readNumber(value: unknown, path: string, min: number, max: number): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new InvalidConfigError(path, `must be a number, got ${describeType(value)}`);
  }
  if (n < min || n > max) throw new InvalidConfigError(path, `must be ${min}..${max}, got ${String(value)}`);
  return n;
}

/** A short description of a value's type for error messages (never the value itself: it may be a secret). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'bigint') return 'an integer';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** The allowed key closest to a misspelt one (same letters ignoring case, or edit distance <= 2). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance; keys are short, so the plain O(n·m) table is fine. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
