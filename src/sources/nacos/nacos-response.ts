import type { NacosBody } from './payload-codec';
import type { ResponseBase } from './nacos-messages';

/**
 * A success response body as the Java server writes it: `resultCode 200`, `errorCode 0`,
 * `success true`, plus the given fields. `undefined` members are dropped by JSON.stringify, which
 * matches Jackson's NON_NULL inclusion.
 */
export function successBody(fields: NacosBody = {}, requestId?: string): NacosBody {
  return { resultCode: 200, errorCode: 0, ...fields, requestId, success: true };
}

/** A failure response body; `success` is always `resultCode === 200` (i.e. false). */
export function failureBody(
  errorCode: number,
  message: string,
  options: { resultCode?: number; requestId?: string; fields?: NacosBody } = {},
): NacosBody {
  const resultCode = options.resultCode ?? 500;
  return {
    ...(options.fields ?? {}),
    resultCode,
    errorCode,
    message,
    requestId: options.requestId,
    success: resultCode === 200,
  };
}

/**
 * Reads the base fields of a response body, tolerating absent or mistyped ones. An absent
 * `resultCode` is 200, the Java `Response` field's default (so a bare `{"requestId":"7"}` ack is
 * a success, as on the Java server); an unparsed body (null) is a failure.
 */
export function responseBase(body: NacosBody | null): ResponseBase {
  const rc = body?.['resultCode'];
  const resultCode = typeof rc === 'number' ? rc : body ? 200 : 500;
  const errorCode = typeof body?.['errorCode'] === 'number' ? (body['errorCode'] as number) : 0;
  const message = typeof body?.['message'] === 'string' ? (body['message'] as string) : undefined;
  const requestId = typeof body?.['requestId'] === 'string' ? (body['requestId'] as string) : undefined;
  // Java derives `success` from resultCode; Go reads the field. Trust the field when present.
  const success = typeof body?.['success'] === 'boolean' ? (body['success'] as boolean) : resultCode === 200;
  return { resultCode, errorCode, message, requestId, success };
}
