import type { Endpoint } from '../model/endpoint';

/** Live per-address counters a picker may read (never write). They survive cluster updates. */
export interface EndpointLoad {
  /** Calls picked for this address and not yet released. */
  readonly outstanding: number;
  /** Whether outlier detection currently ejects this address. */
  readonly ejected: boolean;
}

/** One endpoint as a picker sees it. */
export interface PickerEntry {
  readonly endpoint: Endpoint;
  /**
   * The weight the policy balances by: the endpoint weight for locality-scoped policies, endpoint
   * weight × locality weight for priority-scoped ones (ring_hash, maglev). Always >= 1.
   */
  readonly weight: number;
  /** Live counters of the address. */
  readonly load: EndpointLoad;
}

/**
 * An immutable endpoint chooser built from one list of entries. `pick` is synchronous, never throws
 * and allocates nothing it can avoid.
 */
export interface EndpointPicker {
  /**
   * @param requestHash the request's 64-bit hash for hash policies; undefined ⇒ a random point.
   * @returns the index of the chosen entry in the list the picker was built from, or -1 when none
   *   is usable.
   */
  pick(requestHash: bigint | undefined): number;
}

/** What a policy gets besides its entries. */
export interface PickerContext {
  /** Uniform random number in [0, 1): `Math.random` unless the balancer was given another. */
  readonly random: () => number;
  /**
   * A random value fixed for one cluster update (the same across ejection-driven rebuilds), for
   * policies that must keep an order stable within an update (pick_first shuffling).
   */
  readonly updateSeed: number;
}

/** The minimal shape of a policy configuration: its registered name. */
export interface LbPolicyConfig {
  readonly name: string;
}

/**
 * A load-balancing policy: how to build an {@link EndpointPicker}.
 *
 * - `scope: 'locality'`: one picker per locality of the chosen priority, built from the **usable**
 *   entries only (rebuilt when outlier detection ejects or restores an address).
 * - `scope: 'priority'`: one picker for the whole chosen priority (all its localities flattened,
 *   weight = endpoint weight × locality weight), built from every endpoint whose reported health
 *   serves traffic, **including ejected ones**, and kept across ejections so that consistent hashing
 *   stays stable: the picker must skip entries whose `load.ejected` is true.
 */
export interface LbPolicyDefinition<C extends LbPolicyConfig = LbPolicyConfig> {
  readonly scope: 'locality' | 'priority';
  /** Whether picks need a request hash (ring_hash, maglev). */
  readonly usesRequestHash: boolean;
  /**
   * Checks a configuration before any state changes; throws an `InvalidConfigError` naming the
   * field under `path` (for example `lbPolicy.tableSize`).
   */
  validate?(config: C, path: string): void;
  /** Builds a picker over `entries` (never empty). */
  create(entries: readonly PickerEntry[], config: C, context: PickerContext): EndpointPicker;
}
