/**
 * Stable error codes. A code is never reused for another meaning; tests and users match on
 * `code`, never on message text.
 */
export const ErrorCode = {
  /** Options, a mesh file, a bootstrap or a rule failed validation. The message names the field. */
  INVALID_CONFIG: 'MESH_ERR_INVALID_CONFIG',
  /** The xDS bootstrap (file, env or object) is invalid. */
  INVALID_BOOTSTRAP: 'MESH_ERR_INVALID_BOOTSTRAP',
  /** A resource pushed by a control plane is invalid; it was rejected (NACKed) and the last good state kept. */
  INVALID_RESOURCE: 'MESH_ERR_INVALID_RESOURCE',
  /** An update was rejected by the control-plane protocol (xDS NACK). */
  NACKED: 'MESH_ERR_NACKED',
  /** The target is not known to any source. */
  UNKNOWN_TARGET: 'MESH_ERR_UNKNOWN_TARGET',
  /** The control plane says the resource does not exist (or it never arrived in time). */
  DOES_NOT_EXIST: 'MESH_ERR_DOES_NOT_EXIST',
  /** No route of the target's route table matches the request (or no virtual host matches the authority). */
  NO_ROUTE: 'MESH_ERR_NO_ROUTE',
  /** The chosen cluster has no usable endpoint (none healthy, all ejected, or unknown cluster). */
  NO_ENDPOINT: 'MESH_ERR_NO_ENDPOINT',
  /** The cluster's circuit breaker is open (max concurrent requests reached). Not retried. */
  OVERLOADED: 'MESH_ERR_OVERLOADED',
  /** The request was dropped by the cluster's drop_overloads policy. Not retried. */
  DROPPED: 'MESH_ERR_DROPPED',
  /** The route's action does not forward (redirect, direct response, non-forwarding). */
  NON_FORWARDING_ROUTE: 'MESH_ERR_NON_FORWARDING_ROUTE',
  /** No control plane could be reached. */
  CONTROL_PLANE_UNAVAILABLE: 'MESH_ERR_CONTROL_PLANE_UNAVAILABLE',
  /** An operation did not complete in time (for example `ready()`). */
  TIMEOUT: 'MESH_ERR_TIMEOUT',
  /** The client was closed. */
  CLOSED: 'MESH_ERR_CLOSED',
  /** The on-disk cache file could not be read or parsed; it was ignored. */
  CACHE_CORRUPT: 'MESH_ERR_CACHE_CORRUPT',
  /** The last-good cache could not be written (disk full, permissions); serving is unaffected. */
  CACHE_WRITE_FAILED: 'MESH_ERR_CACHE_WRITE_FAILED',
  /** Authentication with a control plane failed. */
  AUTH_FAILED: 'MESH_ERR_AUTH_FAILED',
  /** A source reported a transport or protocol failure (the last good state still serves). */
  SOURCE_FAILURE: 'MESH_ERR_SOURCE_FAILURE',
} as const;

/** One of the stable {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options shared by every {@link MeshError}. */
export interface MeshErrorOptions {
  /** The offending field as a path, e.g. `clusters[2].endpoints[0].port`. */
  field?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The base class of every error sidecarless throws or reports. `code` is stable; `field` names the
 * offending option or resource field when there is one.
 */
export class MeshError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The offending field path, when the error is about one field. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: MeshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MeshError';
    this.code = code;
    this.field = options.field;
  }
}

/** Invalid options, mesh file, rule or bootstrap. The message starts with the field path. */
export class InvalidConfigError extends MeshError {
  constructor(field: string, problem: string, options: { cause?: unknown; code?: ErrorCode } = {}) {
    super(options.code ?? ErrorCode.INVALID_CONFIG, field ? `${field}: ${problem}` : problem, {
      field,
      cause: options.cause,
    });
    this.name = 'InvalidConfigError';
  }
}
