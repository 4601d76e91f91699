import { performance } from 'node:perf_hooks';
import type { PickResult } from '../../client/pick-result';
import type { RequestContext } from '../../routing/request-context';
import type { MeshPicker } from '../outbound/mesh-picker';
import { CallStateByPickInformation, type PickInformation } from './grpc-js-compat';

/** gRPC status OK on the wire (the same number in every grpc-js). */
const STATUS_OK = 0;

/**
 * The mesh side of one gRPC call across its attempts. The config selector makes the first pick
 * (it decides the route, hence timeout and retry policy); the LB picker asks {@link pick} on every
 * pick of every attempt. An attempt keeps its pick while grpc-js re-runs picks for it (queued while
 * connecting); once it ends ({@link finish}), the pick is reported to the balancer and the next
 * attempt (a grpc-js retry) picks again through the mesh, so it can avoid the endpoint that failed.
 */
export class MeshCall {
  readonly #mesh: MeshPicker;
  readonly #target: string;
  readonly #ctx: RequestContext;
  /** The current attempt's pick; undefined between attempts. */
  #pick: PickResult | undefined;
  #pickedAt: number;

  constructor(mesh: MeshPicker, target: string, ctx: RequestContext, first: PickResult) {
    this.#mesh = mesh;
    this.#target = target;
    this.#ctx = ctx;
    this.#pick = first;
    this.#pickedAt = performance.now();
  }

  /** The current attempt's pick, made now through the mesh when the attempt has none yet. Never throws. */
  pick(): PickResult {
    let pick = this.#pick;
    if (pick === undefined) {
      pick = this.#mesh.pick(this.#target, this.#ctx);
      this.#pick = pick;
      this.#pickedAt = performance.now();
    }
    return pick;
  }

  /**
   * Ends the current attempt with a gRPC status: reports it (status OK = success) and its latency
   * to the balancer. No-op between attempts. Bound, so it serves as grpc-js's `onCallEnded`.
   */
  readonly finish = (code: number): void => {
    const pick = this.#pick;
    if (pick === undefined) return;
    this.#pick = undefined;
    if (pick.ok) pick.done({ ok: code === STATUS_OK, status: code, latencyMs: performance.now() - this.#pickedAt });
  };
}

const meshCalls = new CallStateByPickInformation<MeshCall>();

/** A new call's `pickInformation`, tied to its {@link MeshCall}. */
export function pickInformationFor(call: MeshCall): PickInformation {
  return meshCalls.bind(call);
}

/** The {@link MeshCall} of a pick (from its `extraPickInfo`), undefined for a call the mesh resolver did not set up. */
export function meshCallOf(info: PickInformation): MeshCall | undefined {
  return meshCalls.of(info);
}
