import { xxh64 } from '../../hashing/xxh64';
import type { PickFirstPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';

/** Always the same entry: the first usable one in the (possibly shuffled) order. */
class FixedPicker implements EndpointPicker {
  readonly #index: number;

  constructor(index: number) {
    this.#index = index;
  }

  pick(): number {
    return this.#index;
  }
}

/**
 * The entry that comes first. With `shuffleAddressList` the order is a shuffle fixed for one
 * cluster update: entries are ranked by XXH64 of `<updateSeed>|<address>`, so an ejection-driven
 * rebuild over fewer entries keeps the relative order (the choice stays sticky) and the next update
 * draws a new order (A62: "shuffled once per update").
 */
export function firstInOrder(entries: readonly PickerEntry[], shuffle: boolean, updateSeed: number): number {
  if (!shuffle) return 0;
  let best = 0;
  let bestRank = xxh64(`${updateSeed}|${entries[0]!.endpoint.address}`);
  for (let i = 1; i < entries.length; i++) {
    const rank = xxh64(`${updateSeed}|${entries[i]!.endpoint.address}`);
    if (rank < bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return best;
}

/** gRPC `pick_first` (A62). */
export const pickFirst: LbPolicyDefinition<PickFirstPolicy> = {
  scope: 'locality',
  usesRequestHash: false,
  create(entries: readonly PickerEntry[], config: PickFirstPolicy, context: PickerContext): EndpointPicker {
    return new FixedPicker(firstInOrder(entries, config.shuffleAddressList, context.updateSeed));
  },
};
