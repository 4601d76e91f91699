import type { Metadata, StatusObject } from '@grpc/grpc-js';
import type { PickResult, RoutePolicy } from '../../client/pick-result';
import type { MeshPicker } from '../outbound/mesh-picker';
import type { CallConfig, ConfigSelector, GrpcModule } from './grpc-js-compat';
import { grpcRetryPolicy } from './grpc-retry-policy';
import { MeshCall, pickInformationFor } from './mesh-call';
import { metadataHeaders } from './metadata-headers';

function durationOf(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

type MethodConfig = CallConfig['methodConfig'];

/**
 * grpc-js only reads a call's method config, so calls share them: one per route policy (the mesh
 * caches those per route). Not frozen: a grpc-js that wrote to one would throw in strict mode.
 */
const methodConfigs = new WeakMap<RoutePolicy, MethodConfig>();
const NO_ROUTE_CONFIG: MethodConfig = { name: [] };

/** The method config of a call: the route's timeout as deadline, its retry policy as A6 retries. */
function methodConfigOf(result: PickResult): MethodConfig {
  if (!result.ok) return NO_ROUTE_CONFIG;
  let config = methodConfigs.get(result.policy);
  if (config === undefined) {
    const timeoutMs = result.policy.timeoutMs ?? result.policy.route.maxStreamDurationMs;
    const retryPolicy = grpcRetryPolicy(result.policy.retryPolicy);
    config = {
      name: [],
      ...(timeoutMs ? { timeout: durationOf(timeoutMs) } : {}),
      ...(retryPolicy ? { retryPolicy } : {}),
    };
    methodConfigs.set(result.policy, config);
  }
  return config;
}

/**
 * The per-call config selector the `mesh:` resolver installs on the channel (gRFC A31 shape): it
 * routes each call (method path + metadata) through `mesh.pick`, sets the route's timeout as the
 * call deadline and the route's retry policy as the call's A6 retry policy (gRFC A44; grpc-js runs
 * the attempts), and ties a {@link MeshCall} to the call's `pickInformation` for our LB picker:
 * the first attempt uses this pick, each retry picks again. A per-call filter ends the call's last
 * pick when the call ends, whatever ends it (an attempt still queued at a deadline or cancel).
 */
export function createMeshConfigSelector(grpcModule: GrpcModule, mesh: MeshPicker, target: string): ConfigSelector {
  const Status = grpcModule.status;
  const { BaseFilter } = grpcModule.experimental;

  class CallEndFilter extends BaseFilter {
    readonly #call: MeshCall;

    constructor(call: MeshCall) {
      super();
      this.#call = call;
    }

    override receiveTrailers(status: StatusObject): StatusObject {
      this.#call.finish(status.code);
      return status;
    }
  }

  return {
    invoke(method: string, metadata: Metadata): CallConfig {
      const ctx = { path: method, headers: metadataHeaders(metadata) };
      const result = mesh.pick(target, ctx);
      const call = new MeshCall(mesh, target, ctx, result);
      return {
        methodConfig: methodConfigOf(result),
        pickInformation: pickInformationFor(call),
        status: Status.OK,
        dynamicFilterFactories: [{ createFilter: () => new CallEndFilter(call) }],
      };
    },
    unref(): void {},
  };
}

