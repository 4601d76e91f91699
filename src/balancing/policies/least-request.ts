import { CLUSTER_DEFAULTS, type LeastRequestPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';

/** Smallest and largest accepted `choiceCount` (A48: < 2 is rejected upstream, > 10 clamped). */
const MIN_CHOICES = 2;
const MAX_CHOICES = 10;

/**
 * A48 power-of-choices: sample `choices` entries uniformly with replacement and keep the one with
 * the fewest outstanding requests; the first sampled wins ties.
 */
class LeastRequestPicker implements EndpointPicker {
  readonly #entries: readonly PickerEntry[];
  readonly #choices: number;
  readonly #random: () => number;

  constructor(entries: readonly PickerEntry[], choices: number, random: () => number) {
    this.#entries = entries;
    this.#choices = choices;
    this.#random = random;
  }

  pick(): number {
    const entries = this.#entries;
    const n = entries.length;
    if (n === 1) return 0;
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 0; k < this.#choices; k++) {
      const i = Math.floor(this.#random() * n);
      const load = entries[i]!.load.outstanding;
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    return best;
  }
}

/** `choiceCount` clamped to 2..10 (non-finite ⇒ the default 2). */
export function clampChoiceCount(choiceCount: number): number {
  if (!Number.isFinite(choiceCount)) return CLUSTER_DEFAULTS.leastRequestChoiceCount;
  return Math.min(MAX_CHOICES, Math.max(MIN_CHOICES, Math.floor(choiceCount)));
}

/** gRPC `least_request` (A48). */
export const leastRequest: LbPolicyDefinition<LeastRequestPolicy> = {
  scope: 'locality',
  usesRequestHash: false,
  create(entries: readonly PickerEntry[], config: LeastRequestPolicy, context: PickerContext): EndpointPicker {
    return new LeastRequestPicker(entries, clampChoiceCount(config.choiceCount), context.random);
  },
};
