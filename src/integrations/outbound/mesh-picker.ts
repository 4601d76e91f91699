import type { PickFailure, PickResult } from '../../client/pick-result';
import { ErrorCode, MeshError } from '../../errors';
import type { RequestContext } from '../../routing/request-context';

/** Picks endpoints for requests: the part of `MeshClient` the outbound integrations use. */
export interface MeshPicker {
  pick(target: string, ctx?: RequestContext): PickResult;
}

/** Whether a failed pick means "not a mesh target" (pass the request through) rather than a routing failure. */
export function isUnknownTarget(result: PickResult): boolean {
  return !result.ok && (result.error.code === ErrorCode.UNKNOWN_TARGET || result.error.code === ErrorCode.DOES_NOT_EXIST);
}

/** The error a caller sees for a failed pick (`MESH_ERR_NO_ENDPOINT`, `MESH_ERR_OVERLOADED`, …). */
export function pickError(result: PickFailure): MeshError {
  return new MeshError(result.error.code, result.error.message);
}

/**
 * Picks for the first of `targets` the mesh knows. Returns undefined when it knows none of them
 * (the request is not a mesh request), else the target and its pick result.
 */
export function pickFirstKnown(
  mesh: MeshPicker,
  targets: readonly string[],
  ctx: RequestContext,
): { readonly target: string; readonly result: PickResult } | undefined {
  for (const target of targets) {
    const result = mesh.pick(target, ctx);
    if (!isUnknownTarget(result)) return { target, result };
  }
  return undefined;
}
