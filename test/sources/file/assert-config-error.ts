import assert from 'node:assert/strict';
import { ErrorCode, InvalidConfigError } from '../../../src/errors';

/** Asserts that `fn` throws an InvalidConfigError for `field` whose message starts with the field. */
export function assertConfigError(fn: () => unknown, field: string, problem?: RegExp): InvalidConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InvalidConfigError, `expected InvalidConfigError, got ${String(caught)}`);
  assert.equal(caught.code, ErrorCode.INVALID_CONFIG);
  assert.equal(caught.field, field, caught.message);
  if (field) assert.ok(caught.message.startsWith(`${field}: `), caught.message);
  if (problem) assert.match(caught.message, problem);
  return caught;
}
