import { ErrorCode, MeshError } from '../../../errors';

/** A resource field failed validation; the message starts with the field path. */
export function invalidField(field: string, problem: string): MeshError {
  return new MeshError(ErrorCode.INVALID_RESOURCE, `${field}: ${problem}`, { field });
}

/** Any thrown value as a MeshError (protobuf decode failures become INVALID_RESOURCE). */
export function asResourceError(e: unknown): MeshError {
  if (e instanceof MeshError) return e;
  return invalidField('(bytes)', `cannot decode: ${(e as Error)?.message ?? String(e)}`);
}
