import type * as Yaml from 'yaml';
import { InvalidConfigError } from '../../errors';

let yaml: typeof Yaml | undefined;

/**
 * `yaml`, loaded on the first parse: it costs ~30 ms at start-up (budgeted), and `sidecarless`'s
 * entry point reaches this module even when no config text is ever parsed (an xDS-only client).
 */
function loadYaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yaml ??= require('yaml') as typeof Yaml;
  return yaml;
}

/** The syntax of a mesh config text. */
export type ConfigFormat = 'yaml' | 'json';

/** How a mesh config text is read: its syntax and its name in error messages. */
export interface ConfigTextOptions {
  /** Syntax; default: `json` when `source` ends in `.json`, else `yaml` (YAML 1.2 also reads JSON). */
  format?: ConfigFormat;
  /** Name of the text's origin (a file path) used in syntax error messages. Default `mesh config`. */
  source?: string;
}

/** The format implied by options and the source name. */
export function configFormatOf(options: ConfigTextOptions): ConfigFormat {
  return options.format ?? (options.source?.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
}

/**
 * Parses YAML or JSON text into plain data. Integers come back as bigint so int64 values (header
 * ranges) stay exact. Syntax errors and duplicate keys throw an {@link InvalidConfigError} whose
 * message names the source, line and column (`mesh.yaml:3:5: …`); an empty document is `null`.
 */
export function parseConfigText(text: string, options: ConfigTextOptions = {}): unknown {
  const source = options.source ?? 'mesh config';
  if (configFormatOf(options) === 'json') {
    // JSON.parse is the strict syntax check (YAML would accept comments, single quotes, …); the YAML
    // pass below then reports duplicate keys, which JSON.parse silently overwrites, and keeps int64s exact.
    try {
      JSON.parse(text);
    } catch (err) {
      const position = /position (\d+)/.exec((err as Error).message);
      const where = position ? lineColumn(text, Number(position[1])) : undefined;
      throw syntaxError(source, where, (err as Error).message.replace(/ in JSON at position \d+.*$/s, ''), err);
    }
  }
  const doc = loadYaml().parseDocument(text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw syntaxError(source, pos ? { line: pos.line, col: pos.col } : undefined, first.message.split('\n')[0]!, first);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

function syntaxError(
  source: string,
  where: { line: number; col: number } | undefined,
  problem: string,
  cause: unknown,
): InvalidConfigError {
  const at = where ? `${source}:${where.line}:${where.col}` : source;
  return new InvalidConfigError('', `${at}: ${problem.replace(/ at line \d+, column \d+:?$/, '')}`, { cause });
}

function lineColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
