import type { Metadata, StatusObject } from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import type { PickSuccess } from '../../client/pick-result';
import { ErrorCode } from '../../errors';
import type { MeshPicker } from '../outbound/mesh-picker';
import type { ConfigSelector, GrpcModule } from './grpc-js-compat';
import { metadataHeaders } from './metadata-headers';

/** pickInformation keys our picker reads (grpc-js passes them from the config selector to the picker). */
export const PICK_ADDRESS_KEY = 'sidecarless.address';
export const PICK_HOST_KEY = 'sidecarless.host';
export const PICK_PORT_KEY = 'sidecarless.port';
export const PICK_ERROR_KEY = 'sidecarless.error';

type CallConfig = ReturnType<ConfigSelector['invoke']>;

function durationOf(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/**
 * The per-call config selector the `mesh:` resolver installs on the channel (gRFC A31 shape): it
 * routes each call (method path + metadata) through `mesh.pick`, sets the route's timeout as the
 * call deadline, hands the chosen endpoint to our LB picker in `pickInformation`, and reports the
 * call's status and latency to `done()` from a per-call filter when the call ends, whatever ends it.
 */
export function createMeshConfigSelector(grpcModule: GrpcModule, mesh: MeshPicker, target: string): ConfigSelector {
  const Status = grpcModule.status;
  const { BaseFilter } = grpcModule.experimental;

  class OutcomeFilter extends BaseFilter {
    readonly #pick: PickSuccess;
    readonly #startedAt = performance.now();

    constructor(pick: PickSuccess) {
      super();
      this.#pick = pick;
    }

    override receiveTrailers(status: StatusObject): StatusObject {
      this.#pick.done({ ok: status.code === Status.OK, status: status.code, latencyMs: performance.now() - this.#startedAt });
      return status;
    }
  }

  return {
    invoke(method: string, metadata: Metadata): CallConfig {
      const result = mesh.pick(target, { path: method, headers: metadataHeaders(metadata) });
      if (!result.ok) {
        return {
          methodConfig: { name: [] },
          pickInformation: { [PICK_ERROR_KEY]: `${result.error.code}: ${result.error.message}` },
          status: Status.OK,
          dynamicFilterFactories: [],
        };
      }
      const route = result.policy.route;
      const timeoutMs = result.policy.timeoutMs ?? route.maxStreamDurationMs;
      const pick = result;
      return {
        methodConfig: { name: [], ...(timeoutMs ? { timeout: durationOf(timeoutMs) } : {}) },
        pickInformation: {
          [PICK_ADDRESS_KEY]: result.endpoint.address,
          [PICK_HOST_KEY]: result.endpoint.host,
          [PICK_PORT_KEY]: String(result.endpoint.port),
        },
        status: Status.OK,
        dynamicFilterFactories: [{ createFilter: () => new OutcomeFilter(pick) }],
      };
    },
    unref(): void {},
  };
}

/** Whether a pick error string (from pickInformation) means the request was dropped by policy. */
export function isDropError(error: string): boolean {
  return error.startsWith(`${ErrorCode.DROPPED}:`);
}
