import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { MeshPicker } from '../outbound/mesh-picker';
import { MeshHttpAgent, type MeshAgentOptions } from './mesh-http-agent';
import { MeshHttpsAgent } from './mesh-https-agent';

/** The pair of mesh agents, in the shape got's `agent` option takes. */
export interface MeshAgents {
  readonly http: MeshHttpAgent;
  readonly https: MeshHttpsAgent;
}

/** Creates the http and https mesh agents over one mesh (for got: `got.extend({ agent: meshAgents(mesh) })`). */
export function meshAgents(mesh: MeshPicker, options: MeshAgentOptions = {}): MeshAgents {
  return Object.freeze({ http: new MeshHttpAgent(mesh, options), https: new MeshHttpsAgent(mesh, options) });
}

/** The fields of an axios request config the mesh sets. */
export interface AgentRequestConfig {
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/** A request-config rewriter with its agents hung on it. */
export interface MeshAxiosInterceptor {
  <C extends object>(config: C & AgentRequestConfig): C & AgentRequestConfig;
  readonly agents: MeshAgents;
}

/**
 * An axios request interceptor: it routes the request through the mesh agents (unless the config
 * sets its own agents), so routing, balancing and outcome reporting happen per request.
 *
 * @example
 * ```ts
 * axios.interceptors.request.use(meshAxiosInterceptor(mesh));
 * ```
 */
export function meshAxiosInterceptor(mesh: MeshPicker, agents: MeshAgents = meshAgents(mesh)): MeshAxiosInterceptor {
  const rewrite = <C extends object>(config: C & AgentRequestConfig): C & AgentRequestConfig => {
    config.httpAgent ??= agents.http;
    config.httpsAgent ??= agents.https;
    return config;
  };
  return Object.assign(rewrite, { agents });
}
