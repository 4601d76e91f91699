import { InvalidConfigError } from '../errors';

type Re2Module = typeof import('re2js');
let re2: Re2Module | undefined;

/**
 * Throws an {@link InvalidConfigError} at `path` unless `regex` compiles as RE2 (the syntax Envoy and
 * istiod assume). re2js is loaded on the first regex so configs without regexes never pay for it.
 */
export function checkRe2(regex: string, path: string): void {
  re2 ??= require('re2js') as Re2Module;
  try {
    re2.RE2JS.compile(regex);
  } catch (err) {
    throw new InvalidConfigError(path, `invalid RE2 regex: ${(err as Error).message}`, { cause: err });
  }
}
