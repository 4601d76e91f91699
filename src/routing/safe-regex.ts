import { InvalidConfigError } from '../errors';

// Control-plane regexes (Envoy `safe_regex`) use RE2 syntax and must not be able to stall the event
// loop (ReDoS), so they run on re2js (a linear-time RE2 port) rather than on RegExp. The module is
// required on first use so applications whose routes have no regex never load it.
type Re2Module = typeof import('re2js');
let re2Module: Re2Module | undefined;

function re2(): Re2Module {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  re2Module ??= require('re2js') as Re2Module;
  return re2Module;
}

type Re2Pattern = ReturnType<Re2Module['RE2JS']['compile']>;

/** A compiled RE2 regex with Envoy's semantics: a match must cover the entire input. */
export interface SafeRegex {
  /** The RE2 source. */
  readonly source: string;
  /** Whether the regex matches all of `input` (not a substring). */
  fullMatch(input: string): boolean;
}

/** A compiled Envoy `RegexMatchAndSubstitute`: every match of the pattern is replaced. */
export interface RegexRewrite {
  /** `input` with every non-overlapping match replaced by the substitution (`\1` = group 1). */
  replaceAll(input: string): string;
}

function compilePattern(regex: string, field: string): Re2Pattern {
  if (typeof regex !== 'string') throw new InvalidConfigError(field, 'regex must be a string');
  try {
    return re2().RE2JS.compile(regex);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InvalidConfigError(field, `invalid RE2 regex ${JSON.stringify(regex)}: ${reason}`, { cause: err });
  }
}

/**
 * Compiles an RE2 regex for full matching.
 * @param field the config field that holds the regex, named in the error.
 * @throws InvalidConfigError (`MESH_ERR_INVALID_CONFIG`) when the regex is not valid RE2.
 */
export function compileSafeRegex(regex: string, field: string): SafeRegex {
  const pattern = compilePattern(regex, field);
  return {
    source: regex,
    fullMatch: (input: string) => pattern.testExact(input),
  };
}

/**
 * Checks that `regex` is valid RE2 syntax (what Envoy and istiod assume), for sources validating an
 * update before accepting it.
 * @throws InvalidConfigError naming `field` when it is not.
 */
export function validateRe2(regex: string, field: string): void {
  compilePattern(regex, field);
}

/** One piece of a parsed substitution: literal text or a capture-group number. */
type SubstitutionPart = string | number;

// Envoy substitutions use RE2's rewrite syntax: `\0`..`\9` name capture groups, `\\` is a
// backslash, any other escape is invalid.
function parseSubstitution(substitution: string, groupCount: number, field: string): SubstitutionPart[] {
  const parts: SubstitutionPart[] = [];
  let literal = '';
  for (let i = 0; i < substitution.length; i++) {
    const c = substitution[i]!;
    if (c !== '\\') {
      literal += c;
      continue;
    }
    const next = substitution[++i];
    if (next === '\\') {
      literal += '\\';
    } else if (next !== undefined && next >= '0' && next <= '9') {
      const group = next.charCodeAt(0) - 48;
      if (group > groupCount) {
        throw new InvalidConfigError(field, `substitution refers to group \\${group} but the regex has ${groupCount}`);
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(group);
    } else {
      throw new InvalidConfigError(field, `invalid escape in substitution ${JSON.stringify(substitution)}`);
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/**
 * Compiles an Envoy regex rewrite (`regex_rewrite`): RE2 `regex`, RE2-style `substitution`.
 * @throws InvalidConfigError naming `field` (`field.regex` or `field.substitution`).
 */
export function compileRegexRewrite(regex: string, substitution: string, field: string): RegexRewrite {
  const pattern = compilePattern(regex, `${field}.regex`);
  const parts = parseSubstitution(substitution, pattern.groupCount(), `${field}.substitution`);
  const replacer = (...args: unknown[]): string => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else {
        const group = args[part];
        if (typeof group === 'string') out += group;
      }
    }
    return out;
  };
  return {
    replaceAll: (input: string) => pattern.matcher(input).replaceAll(replacer),
  };
}
