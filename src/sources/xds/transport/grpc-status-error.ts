/** gRPC status codes by name (grpc/doc/statuscodes.md). */
export const GrpcStatus = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
});

const NAMES = Object.keys(GrpcStatus);

/** The name of a status code (`UNAVAILABLE`), or `UNKNOWN` for a code outside the table. */
export function grpcStatusName(code: number): string {
  return NAMES[code] ?? 'UNKNOWN';
}

/**
 * A call that ended with a non-OK gRPC status. `message` reads like grpc-js's
 * (`14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:1`), so logs look the same whichever
 * transport produced them.
 */
export class GrpcStatusError extends Error {
  /** The gRPC status code. */
  readonly code: number;
  /** The status message (`grpc-message`, percent-decoded) or what the transport saw. */
  readonly details: string;

  constructor(code: number, details: string, options?: { cause?: unknown }) {
    super(`${code} ${grpcStatusName(code)}: ${details}`, options);
    this.name = 'GrpcStatusError';
    this.code = code;
    this.details = details;
  }
}

/** gRPC's mapping of an HTTP status without `grpc-status` to a code (doc/http-grpc-status-mapping.md). */
export function grpcStatusOfHttp(status: number): number {
  switch (status) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/** `grpc-message` is percent-encoded (PROTOCOL-HTTP2); a malformed escape is kept as sent. */
export function decodeGrpcMessage(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
