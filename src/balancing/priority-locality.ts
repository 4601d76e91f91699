import type { LbPolicyConfig, LbPolicyDefinition, EndpointPicker, PickerContext, PickerEntry } from './endpoint-picker';
import type { EndpointPick } from './balancer';
import type { EndpointState } from './endpoint-state';
import type { LocalityWeighting } from '../model/cluster';
import { envoyLocalityWeight, envoyPriorityLoads } from './envoy-load';
import { chooseWeighted, cumulativeWeights } from './weighted-choice';

/** One endpoint of the current cluster version, with its preallocated pick result. @internal */
export interface PlanEntry extends PickerEntry {
  readonly load: EndpointState;
  /** The frozen result returned when this endpoint is picked. */
  readonly pick: EndpointPick;
}

/** A locality of one priority, as of the last cluster update. @internal */
export interface LayoutLocality {
  readonly weight: number;
  /** Endpoints whose reported health serves traffic (ejected ones included). */
  readonly entries: readonly PlanEntry[];
  /** Every endpoint the source listed, whatever its health (Envoy's "total"). */
  readonly total: number;
}

/** A priority level, as of the last cluster update. @internal */
export interface LayoutPriority {
  readonly localities: readonly LayoutLocality[];
  /** All serving entries of the priority, for priority-scoped (hash) policies. */
  readonly flattened: readonly PlanEntry[];
  readonly total: number;
}

/** One picker and the entries its indexes refer to. */
interface Slot {
  readonly entries: readonly PlanEntry[];
  readonly picker: EndpointPicker;
}

interface Level {
  /** Running sums of the slot weights (unused with a single slot). */
  readonly cumulative: Float64Array;
  readonly slots: readonly Slot[];
}

/** What {@link buildTrafficPlan} needs besides the layout. @internal */
export interface PlanInputs {
  readonly policy: LbPolicyConfig;
  readonly definition: LbPolicyDefinition;
  readonly weighting: LocalityWeighting;
  readonly context: PickerContext;
  /**
   * Priority-scoped pickers by priority, kept across ejection-driven rebuilds within one update
   * (a ring is built once per update and skips ejected endpoints by itself).
   */
  readonly priorityPickers: (EndpointPicker | undefined)[];
}

const TWO_POW_32 = 2 ** 32;

/**
 * The immutable priority → locality → endpoint choice of one moment: rebuilt on every cluster
 * update and whenever outlier detection ejects or restores an address, never per pick.
 * @internal
 */
export class TrafficPlan {
  readonly #levels: readonly Level[];
  readonly #levelCumulative: Float64Array;
  readonly #random: () => number;

  constructor(levels: readonly Level[], levelWeights: readonly number[], random: () => number) {
    this.#levels = levels;
    this.#levelCumulative = cumulativeWeights(levelWeights);
    this.#random = random;
  }

  /** Whether no endpoint is usable at all. */
  get empty(): boolean {
    return this.#levels.length === 0;
  }

  /** The chosen endpoint (its preallocated pick and live state), or undefined when nothing is usable. */
  pick(requestHash: bigint | undefined): PlanEntry | undefined {
    const levels = this.#levels;
    if (levels.length === 0) return undefined;
    let level = levels[0]!;
    if (levels.length > 1) {
      // A request hash also fixes the priority (Envoy mode), so a key stays on one priority.
      const r = requestHash === undefined ? this.#random() : Number(BigInt.asUintN(32, requestHash)) / TWO_POW_32;
      level = levels[chooseWeighted(this.#levelCumulative, r)]!;
    }
    const slots = level.slots;
    const slot = slots.length === 1 ? slots[0]! : slots[chooseWeighted(level.cumulative, this.#random())]!;
    const index = slot.picker.pick(requestHash);
    return index < 0 ? undefined : slot.entries[index];
  }
}

function usableEntries(entries: readonly PlanEntry[]): PlanEntry[] {
  return entries.filter((e) => !e.load.ejected);
}

function usableCount(entries: readonly PlanEntry[]): number {
  let n = 0;
  for (const e of entries) if (!e.load.ejected) n++;
  return n;
}

/**
 * Builds one level for priority `p`: a single flattened picker for priority-scoped policies,
 * otherwise one picker per locality that has a usable endpoint, weighted by `localityWeight`.
 */
function buildLevel(
  layout: LayoutPriority,
  p: number,
  inputs: PlanInputs,
  localityWeight: (l: LayoutLocality, usable: number) => number,
): Level | undefined {
  const { definition, policy, context } = inputs;
  if (definition.scope === 'priority') {
    if (layout.flattened.length === 0) return undefined;
    const picker = (inputs.priorityPickers[p] ??= definition.create(layout.flattened, policy, context));
    return { cumulative: new Float64Array(1), slots: [{ entries: layout.flattened, picker }] };
  }
  const slots: Slot[] = [];
  const weights: number[] = [];
  for (const locality of layout.localities) {
    const usable = usableEntries(locality.entries);
    const weight = usable.length === 0 ? 0 : localityWeight(locality, usable.length);
    if (weight <= 0) continue;
    slots.push({ entries: usable, picker: definition.create(usable, policy, context) });
    weights.push(weight);
  }
  return slots.length === 0 ? undefined : { cumulative: cumulativeWeights(weights), slots };
}

/**
 * gRPC model (A27/A56, default): all traffic to the lowest priority with a usable endpoint; within
 * it, localities with a usable endpoint by locality weight. Envoy model: priority loads and locality
 * effective weights from the overprovisioning factor (xds-reference §5.2).
 * @internal
 */
export function buildTrafficPlan(layout: readonly LayoutPriority[], inputs: PlanInputs): TrafficPlan {
  const random = inputs.context.random;
  if (inputs.weighting.mode !== 'envoy') {
    for (let p = 0; p < layout.length; p++) {
      const priority = layout[p]!;
      let usable = 0;
      for (const l of priority.localities) usable += usableCount(l.entries);
      if (usable === 0) continue;
      const level = buildLevel(priority, p, inputs, (l) => l.weight);
      if (level) return new TrafficPlan([level], [1], random);
    }
    return new TrafficPlan([], [], random);
  }
  const factor = inputs.weighting.overprovisioningFactor / 100;
  const counts = layout.map((priority) => {
    let healthy = 0;
    for (const l of priority.localities) healthy += usableCount(l.entries);
    return { healthy, total: priority.total };
  });
  const loads = envoyPriorityLoads(counts, factor);
  const levels: Level[] = [];
  const levelWeights: number[] = [];
  for (let p = 0; p < layout.length; p++) {
    if (!(loads[p]! > 0)) continue;
    const level = buildLevel(layout[p]!, p, inputs, (l, usable) =>
      envoyLocalityWeight(l.weight, { healthy: usable, total: l.total }, factor),
    );
    if (!level) continue;
    levels.push(level);
    levelWeights.push(loads[p]!);
  }
  return new TrafficPlan(levels, levelWeights, random);
}
