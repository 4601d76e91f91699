import type { experimental, StatusObject } from '@grpc/grpc-js';
import { ErrorCode } from '../../errors';
import type { GrpcModule } from './grpc-js-compat';
import { meshCallOf } from './mesh-call';

/** Name of our LB policy in the service config. */
export const MESH_LB_POLICY_NAME = 'sidecarless_mesh';

/**
 * Whether a failed pick ends the call without retries (grpc-js DROP): a drop by policy
 * (`MESH_ERR_DROPPED`) or an open circuit breaker (`MESH_ERR_OVERLOADED`), as gRPC's xDS
 * cluster_impl picker does. Other pick failures (no endpoint) fail the attempt with UNAVAILABLE,
 * which the route's retry policy may retry.
 */
function isDrop(code: ErrorCode): boolean {
  return code === ErrorCode.DROPPED || code === ErrorCode.OVERLOADED;
}

/**
 * Registers the `sidecarless_mesh` LB policy. The mesh chooses the endpoint of each attempt (the
 * call's `MeshCall`: the config selector's pick for the first attempt, a new mesh pick for
 * each retry); this policy only owns one subchannel per endpoint address, created on first use,
 * and maps the attempt's endpoint to its subchannel: ready → use it (the attempt's end is reported
 * to the mesh), connecting → queue the attempt, failed → fail it (UNAVAILABLE, reported as a
 * failure so outlier detection sees it; a retry picks again).
 */
export function registerMeshLoadBalancer(grpcModule: GrpcModule): void {
  const { experimental: x, connectivityState: ConnectivityState, Metadata, status: Status } = grpcModule;
  const { PickResultType } = x;

  class MeshLbConfig implements experimental.TypedLoadBalancingConfig {
    getLoadBalancerName(): string {
      return MESH_LB_POLICY_NAME;
    }
    toJsonObject(): object {
      return { [MESH_LB_POLICY_NAME]: {} };
    }
    static createFromJson(): MeshLbConfig {
      return new MeshLbConfig();
    }
  }

  function failure(code: number, details: string): StatusObject {
    return { code, details, metadata: new Metadata() };
  }

  class MeshPicker implements experimental.Picker {
    readonly #lb: MeshLoadBalancer;
    constructor(lb: MeshLoadBalancer) {
      this.#lb = lb;
    }

    pick(args: experimental.PickArgs): experimental.PickResult {
      const call = meshCallOf(args.extraPickInfo);
      if (call === undefined) {
        return { pickResultType: PickResultType.TRANSIENT_FAILURE, subchannel: null, status: failure(Status.INTERNAL, 'sidecarless: the call was not routed by the mesh resolver'), onCallStarted: null, onCallEnded: null };
      }
      const picked = call.pick();
      if (!picked.ok) {
        call.finish(Status.UNAVAILABLE);
        const type = isDrop(picked.error.code) ? PickResultType.DROP : PickResultType.TRANSIENT_FAILURE;
        return { pickResultType: type, subchannel: null, status: failure(Status.UNAVAILABLE, `${picked.error.code}: ${picked.error.message}`), onCallStarted: null, onCallEnded: null };
      }
      const endpoint = picked.endpoint;
      const subchannel = this.#lb.subchannel(endpoint.address, endpoint.host, endpoint.port);
      switch (subchannel.getConnectivityState()) {
        case ConnectivityState.READY:
          return { pickResultType: PickResultType.COMPLETE, subchannel, status: null, onCallStarted: null, onCallEnded: call.finish };
        case ConnectivityState.TRANSIENT_FAILURE:
          call.finish(Status.UNAVAILABLE);
          return { pickResultType: PickResultType.TRANSIENT_FAILURE, subchannel: null, status: failure(Status.UNAVAILABLE, `sidecarless: endpoint ${endpoint.address} is unreachable`), onCallStarted: null, onCallEnded: null };
        default:
          subchannel.startConnecting();
          return { pickResultType: PickResultType.QUEUE, subchannel: null, status: null, onCallStarted: null, onCallEnded: null };
      }
    }
  }

  class MeshLoadBalancer implements experimental.LoadBalancer {
    readonly #helper: experimental.ChannelControlHelper;
    readonly #subchannels = new Map<string, experimental.SubchannelInterface>();
    readonly #onStateChange = (): void => this.#publish();

    constructor(helper: experimental.ChannelControlHelper) {
      this.#helper = helper;
    }

    /** The subchannel for an endpoint, created (and connected) on first use. */
    subchannel(address: string, host: string, port: number): experimental.SubchannelInterface {
      let sc = this.#subchannels.get(address);
      if (sc === undefined) {
        sc = this.#helper.createSubchannel({ host, port }, {});
        sc.ref();
        sc.addConnectivityStateListener(this.#onStateChange);
        this.#subchannels.set(address, sc);
        sc.startConnecting();
      }
      return sc;
    }

    #publish(): void {
      // A new picker makes grpc-js re-run the picks of queued calls.
      this.#helper.updateState(ConnectivityState.READY, new MeshPicker(this), null);
    }

    updateAddressList(): boolean {
      this.#publish();
      return true;
    }

    exitIdle(): void {}

    resetBackoff(): void {}

    destroy(): void {
      for (const sc of this.#subchannels.values()) {
        sc.removeConnectivityStateListener(this.#onStateChange);
        sc.unref();
      }
      this.#subchannels.clear();
    }

    getTypeName(): string {
      return MESH_LB_POLICY_NAME;
    }
  }

  x.registerLoadBalancerType(MESH_LB_POLICY_NAME, MeshLoadBalancer, MeshLbConfig);
}
