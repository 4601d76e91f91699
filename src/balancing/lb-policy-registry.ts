import { InvalidConfigError } from '../errors';
import type { EndpointPicker, LbPolicyConfig, LbPolicyDefinition, PickerContext, PickerEntry } from './endpoint-picker';
import { leastRequest } from './policies/least-request';
import { maglev } from './policies/maglev';
import { pickFirst } from './policies/pick-first';
import { random } from './policies/random';
import { ringHash } from './policies/ring-hash';
import { roundRobin } from './policies/round-robin';
import { weightedRoundRobin } from './policies/weighted-round-robin';

const registry = new Map<string, LbPolicyDefinition>();

/**
 * Registers (or replaces) the load-balancing policy called `name`. Clusters whose `lbPolicy.name`
 * is `name` then use it. Built-ins: `round_robin`, `weighted_round_robin`, `random`,
 * `least_request`, `ring_hash`, `maglev`, `pick_first`.
 * @returns a function that restores the previous definition (or removes the name).
 */
export function registerLbPolicy<C extends LbPolicyConfig>(name: string, definition: LbPolicyDefinition<C>): () => void {
  if (!name) throw new InvalidConfigError('name', 'must be a non-empty policy name');
  const previous = registry.get(name);
  registry.set(name, definition as unknown as LbPolicyDefinition);
  return () => {
    if (previous === undefined) registry.delete(name);
    else registry.set(name, previous);
  };
}

/**
 * The definition registered under `policy.name`, after its `validate` hook accepted `policy`.
 * @param path field path used in errors, e.g. `clusters[0].lbPolicy`.
 * @throws InvalidConfigError for an unknown name or an invalid configuration.
 */
export function resolveLbPolicy(policy: LbPolicyConfig, path = 'lbPolicy'): LbPolicyDefinition {
  const definition = registry.get(policy.name);
  if (definition === undefined) {
    throw new InvalidConfigError(`${path}.name`, `unknown load-balancing policy "${policy.name}"`);
  }
  definition.validate?.(policy, path);
  return definition;
}

/**
 * Builds a picker of the policy `policy.name` over `entries` (non-empty).
 * @throws InvalidConfigError for an unknown name or an invalid configuration.
 */
export function createEndpointPicker(
  policy: LbPolicyConfig,
  entries: readonly PickerEntry[],
  context: PickerContext,
): EndpointPicker {
  return resolveLbPolicy(policy).create(entries, policy, context);
}

registerLbPolicy('round_robin', roundRobin);
registerLbPolicy('weighted_round_robin', weightedRoundRobin);
registerLbPolicy('random', random);
registerLbPolicy('least_request', leastRequest);
registerLbPolicy('ring_hash', ringHash);
registerLbPolicy('maglev', maglev);
registerLbPolicy('pick_first', pickFirst);
