import type { WeightedRoundRobinPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';

/**
 * Earliest-deadline-first scheduling (the A58 scheduler, with static endpoint weights): entry i has
 * period 1/weight_i and a first deadline drawn in [0, period_i); each pick takes the smallest
 * deadline (ties: lower index) and pushes it one period later. Over time entry i gets
 * weight_i / Σweight of the picks, interleaved rather than in bursts. A binary min-heap over typed
 * arrays keeps a pick O(log n) without allocation.
 */
class EdfPicker implements EndpointPicker {
  readonly #period: Float64Array;
  readonly #deadline: Float64Array;
  /** Heap of entry indexes ordered by (deadline, index). */
  readonly #heap: Int32Array;

  constructor(entries: readonly PickerEntry[], random: () => number) {
    const n = entries.length;
    this.#period = new Float64Array(n);
    this.#deadline = new Float64Array(n);
    this.#heap = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.#period[i] = 1 / entries[i]!.weight;
      this.#deadline[i] = random() * this.#period[i]!;
      this.#heap[i] = i;
    }
    for (let i = (n >>> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  pick(): number {
    const top = this.#heap[0]!;
    this.#deadline[top] = this.#deadline[top]! + this.#period[top]!;
    this.#siftDown(0);
    return top;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const deadline = this.#deadline;
    const n = heap.length;
    const item = heap[start]!;
    const itemDeadline = deadline[item]!;
    let i = start;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let child = heap[c]!;
      let childDeadline = deadline[child]!;
      if (c + 1 < n) {
        const right = heap[c + 1]!;
        const rightDeadline = deadline[right]!;
        if (rightDeadline < childDeadline || (rightDeadline === childDeadline && right < child)) {
          c++;
          child = right;
          childDeadline = rightDeadline;
        }
      }
      // Order by (deadline, index): ties go to the lower index.
      if (itemDeadline < childDeadline || (itemDeadline === childDeadline && item < child)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = item;
  }
}

/** Weighted round robin by endpoint weight (EDF). */
export const weightedRoundRobin: LbPolicyDefinition<WeightedRoundRobinPolicy> = {
  scope: 'locality',
  usesRequestHash: false,
  create(entries: readonly PickerEntry[], _config: WeightedRoundRobinPolicy, context: PickerContext): EndpointPicker {
    return new EdfPicker(entries, context.random);
  },
};
