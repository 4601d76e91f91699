import http, { type ClientRequest } from 'node:http';
import type { MeshPicker } from '../outbound/mesh-picker';
import { createOriginTargets, type OriginTargets, type OutboundTargetOptions } from '../outbound/origin-target';
import { routeAgentRequest, type AddRequest, type AgentRequestOptions } from './route-agent-request';

/** Options of {@link MeshHttpAgent} and {@link MeshHttpsAgent} besides the base agent's: which requests the mesh routes. */
export type MeshAgentOptions = OutboundTargetOptions;

// `addRequest` is how Node's http client hands a request to its agent; it is not in the typings.
const baseAddRequest = (http.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest;

/**
 * An `http.Agent` that sends requests for mesh hosts (`http://reviews/…`) to an endpoint the mesh
 * picks, keeping the Host header; other hosts pass through. Sockets are pooled per endpoint.
 *
 * @example
 * ```ts
 * http.get('http://reviews/api', { agent: new MeshHttpAgent(mesh) }, onResponse);
 * ```
 */
export class MeshHttpAgent extends http.Agent {
  readonly #mesh: MeshPicker;
  readonly #origins: OriginTargets;

  constructor(mesh: MeshPicker, options: http.AgentOptions & MeshAgentOptions = {}) {
    const { targetsOf, meshHosts, ...agentOptions } = options;
    super({ keepAlive: true, ...agentOptions });
    this.#mesh = mesh;
    this.#origins = createOriginTargets({ targetsOf, meshHosts });
  }

  /** @internal Called by Node's http client for each request. */
  addRequest(req: ClientRequest, options: AgentRequestOptions): void {
    routeAgentRequest(this.#mesh, this.#origins, 'http:', req, options, (r, o) => baseAddRequest.call(this, r, o));
  }
}
