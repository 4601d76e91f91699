import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { ErrorCode, MeshError } from '../../errors';

/** Options of {@link meshErrorHandler}. */
export interface MeshErrorHandlerOptions {
  /** Put the error's message in the body (it names clusters and routes). Default false: only the code. */
  exposeMessage?: boolean;
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.NO_ENDPOINT]: 503,
  [ErrorCode.OVERLOADED]: 503,
  [ErrorCode.DROPPED]: 503,
  [ErrorCode.UNKNOWN_TARGET]: 503,
  [ErrorCode.DOES_NOT_EXIST]: 503,
  [ErrorCode.NO_ROUTE]: 503,
  [ErrorCode.NON_FORWARDING_ROUTE]: 503,
  [ErrorCode.TIMEOUT]: 504,
};

/** The MeshError behind an error: itself, or the `cause` chain (fetch wraps it in `TypeError('fetch failed')`). */
export function findMeshError(error: unknown): MeshError | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof MeshError) return e;
  }
  return undefined;
}

/**
 * Express error middleware that answers mesh failures of outbound calls the way a sidecar would:
 * `MESH_ERR_NO_ENDPOINT`, `MESH_ERR_OVERLOADED`, `MESH_ERR_DROPPED` (and unknown target / no route)
 * → 503, `MESH_ERR_TIMEOUT` → 504, with a JSON body `{ error: { code } }`. Other errors go to the next
 * error handler. Register it after your routes.
 */
export function meshErrorHandler(options: MeshErrorHandlerOptions = {}): ErrorRequestHandler {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const meshError = findMeshError(error);
    const status = meshError === undefined ? undefined : STATUS_BY_CODE[meshError.code];
    if (meshError === undefined || status === undefined || res.headersSent) {
      next(error);
      return;
    }
    res.status(status).json({ error: { code: meshError.code, ...(options.exposeMessage ? { message: meshError.message } : {}) } });
  };
}
