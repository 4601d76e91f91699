/**
 * A handler failure of the test server. The dispatcher turns it into the Java server's shape:
 * `ErrorResponse` with `resultCode = errorCode = code` (nacos-protocol §3.4), or, when
 * `inResponseType` is set (auth and parameter checks), the handler's own response type with
 * `resultCode 500` and this `errorCode`.
 */
export class NacosServerException extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly inResponseType = false,
  ) {
    super(message);
    this.name = 'NacosServerException';
  }
}
