import https from 'node:https';
import type { ClientRequest } from 'node:http';
import type { MeshPicker } from '../outbound/mesh-picker';
import { createOriginTargets, type OriginTargets } from '../outbound/origin-target';
import type { MeshAgentOptions } from './mesh-http-agent';
import { routeAgentRequest, type AddRequest, type AgentRequestOptions } from './route-agent-request';

const baseAddRequest = (https.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest;

/**
 * The https counterpart of {@link MeshHttpAgent}: it connects to the picked endpoint with the
 * logical host as TLS server name (SNI) and certificate identity.
 */
export class MeshHttpsAgent extends https.Agent {
  readonly #mesh: MeshPicker;
  readonly #origins: OriginTargets;

  constructor(mesh: MeshPicker, options: https.AgentOptions & MeshAgentOptions = {}) {
    const { targetsOf, meshHosts, ...agentOptions } = options;
    super({ keepAlive: true, ...agentOptions });
    this.#mesh = mesh;
    this.#origins = createOriginTargets({ targetsOf, meshHosts });
  }

  /** @internal Called by Node's https client for each request. */
  addRequest(req: ClientRequest, options: AgentRequestOptions): void {
    routeAgentRequest(this.#mesh, this.#origins, 'https:', req, options, (r, o) => baseAddRequest.call(this, r, o));
  }
}
