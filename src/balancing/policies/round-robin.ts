import type { RoundRobinPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';

/** Rotates through the entries from a random start; weights are ignored (xds-reference §5.3). */
class RoundRobinPicker implements EndpointPicker {
  readonly #count: number;
  #next: number;

  constructor(count: number, random: () => number) {
    this.#count = count;
    this.#next = Math.floor(random() * count) % count;
  }

  pick(): number {
    const i = this.#next;
    this.#next = i + 1 === this.#count ? 0 : i + 1;
    return i;
  }
}

/** gRPC `round_robin`. */
export const roundRobin: LbPolicyDefinition<RoundRobinPolicy> = {
  scope: 'locality',
  usesRequestHash: false,
  create(entries: readonly PickerEntry[], _config: RoundRobinPolicy, context: PickerContext): EndpointPicker {
    return new RoundRobinPicker(entries.length, context.random);
  },
};
