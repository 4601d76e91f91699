import type { RandomPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';
import { chooseWeighted, cumulativeWeights } from '../weighted-choice';

/** Independent draws proportional to the entry weights. */
class WeightedRandomPicker implements EndpointPicker {
  readonly #cumulative: Float64Array;
  readonly #random: () => number;

  constructor(entries: readonly PickerEntry[], random: () => number) {
    this.#cumulative = cumulativeWeights(entries.map((e) => e.weight));
    this.#random = random;
  }

  pick(): number {
    return chooseWeighted(this.#cumulative, this.#random());
  }
}

/** Random choice weighted by endpoint weight. */
export const random: LbPolicyDefinition<RandomPolicy> = {
  scope: 'locality',
  usesRequestHash: false,
  create(entries: readonly PickerEntry[], _config: RandomPolicy, context: PickerContext): EndpointPicker {
    return new WeightedRandomPicker(entries, context.random);
  },
};
