import type { experimental, StatusObject } from '@grpc/grpc-js';
import type { GrpcModule } from './grpc-js-compat';
import { isDropError, PICK_ADDRESS_KEY, PICK_ERROR_KEY, PICK_HOST_KEY, PICK_PORT_KEY } from './mesh-config-selector';

/** Name of our LB policy in the service config. */
export const MESH_LB_POLICY_NAME = 'sidecarless_mesh';

/**
 * Registers the `sidecarless_mesh` LB policy. The endpoint is already chosen per call by the mesh
 * (in the config selector); this policy only owns one subchannel per endpoint address, created on
 * first use, and maps each call's chosen address to its subchannel: ready → use it, connecting →
 * queue the call, failed → fail it (UNAVAILABLE) so outlier detection sees the failure.
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
      const info = args.extraPickInfo;
      const error = info[PICK_ERROR_KEY];
      if (error !== undefined) {
        const type = isDropError(error) ? PickResultType.DROP : PickResultType.TRANSIENT_FAILURE;
        return { pickResultType: type, subchannel: null, status: failure(Status.UNAVAILABLE, error), onCallStarted: null, onCallEnded: null };
      }
      const address = info[PICK_ADDRESS_KEY];
      if (address === undefined) {
        return { pickResultType: PickResultType.TRANSIENT_FAILURE, subchannel: null, status: failure(Status.INTERNAL, 'sidecarless: the call was not routed by the mesh resolver'), onCallStarted: null, onCallEnded: null };
      }
      const subchannel = this.#lb.subchannel(address, info[PICK_HOST_KEY]!, Number(info[PICK_PORT_KEY]));
      switch (subchannel.getConnectivityState()) {
        case ConnectivityState.READY:
          return { pickResultType: PickResultType.COMPLETE, subchannel, status: null, onCallStarted: null, onCallEnded: null };
        case ConnectivityState.TRANSIENT_FAILURE:
          return { pickResultType: PickResultType.TRANSIENT_FAILURE, subchannel: null, status: failure(Status.UNAVAILABLE, `sidecarless: endpoint ${address} is unreachable`), onCallStarted: null, onCallEnded: null };
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
