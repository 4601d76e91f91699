import { InvalidConfigError } from '../errors';
import type { Cluster } from '../model/cluster';
import { isServingHealth } from '../model/endpoint';
import type { HeaderBag } from '../routing/request-context';
import type { CallOutcome, ClusterBalancer, ClusterPickFailure, ClusterStats, EndpointPick } from './balancer';
import { systemClock, type Clock } from '../clock';
import { CircuitBreaker } from './circuit-breaker';
import { DropOverloads } from './drop-overloads';
import type { EndpointPicker, LbPolicyDefinition, PickerContext } from './endpoint-picker';
import { EndpointState } from './endpoint-state';
import { resolveLbPolicy } from './lb-policy-registry';
import { OutlierDetector } from './outlier-detection';
import { createPickFailures, type PickFailures } from './pick-failures';
import {
  buildTrafficPlan,
  type LayoutLocality,
  type LayoutPriority,
  type PlanEntry,
  type TrafficPlan,
} from './priority-locality';
import { hashRequestHeader } from './request-hash-header';

/** Options of {@link createClusterBalancer}. */
export interface ClusterBalancerOptions {
  /** Time and timers for outlier detection. Default: real time, unref'ed timers. */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for every draw (drops, localities, policies). Default `Math.random`. */
  readonly random?: () => number;
}

/** One cluster version turned into the structures picks read. */
interface Version {
  readonly cluster: Cluster;
  readonly definition: LbPolicyDefinition;
  readonly layout: readonly LayoutPriority[];
  /** States of the addresses that serve traffic, for outlier detection. */
  readonly serving: readonly EndpointState[];
  readonly context: PickerContext;
  readonly priorityPickers: (EndpointPicker | undefined)[];
  /** A76 header to hash when no request hash is given. */
  readonly hashHeader: string | undefined;
}

/**
 * The balancer of one cluster: drop_overloads → circuit breaker → priority → locality → endpoint
 * (xds-reference §5). Per-address state lives in {@link EndpointState} objects keyed by address and
 * survives updates; everything a pick reads is precomputed by {@link ClusterBalancerImpl.update} or
 * by an ejection change, so a pick allocates nothing beyond what a hash computation needs.
 */
class ClusterBalancerImpl implements ClusterBalancer {
  readonly name: string;
  readonly #random: () => number;
  readonly #failures: PickFailures;
  readonly #breaker = new CircuitBreaker();
  readonly #drops = new DropOverloads();
  readonly #outlier: OutlierDetector;
  readonly #states = new Map<string, EndpointState>();
  #version!: Version;
  #plan!: TrafficPlan;
  #updating = false;
  #closed = false;
  #requestsTotal = 0;
  #failuresTotal = 0;
  #droppedTotal = 0;
  #overloadedTotal = 0;
  #noEndpointTotal = 0;
  #latencyMsSum = 0;

  constructor(cluster: Cluster, options: ClusterBalancerOptions) {
    this.name = cluster.name;
    this.#random = options.random ?? Math.random;
    this.#failures = createPickFailures(cluster.name);
    this.#outlier = new OutlierDetector(options.clock ?? systemClock, this.#random, () => this.#replan());
    this.update(cluster);
  }

  get usesRequestHash(): boolean {
    return this.#version.definition.usesRequestHash;
  }

  update(cluster: Cluster): void {
    if (cluster.name !== this.name) {
      throw new InvalidConfigError('name', `balancer of cluster "${this.name}" cannot take cluster "${cluster.name}"`);
    }
    // Everything that can throw runs before any state changes: a bad update keeps the last good one.
    const definition = resolveLbPolicy(cluster.lbPolicy, 'lbPolicy');
    const weightByLocality = definition.scope === 'priority';
    const seen = new Set<string>();
    const serving: EndpointState[] = [];
    const stateFor = (address: string): EndpointState => {
      let state = this.#states.get(address);
      if (state === undefined) {
        state = new EndpointState(address);
        this.#states.set(address, state);
      }
      if (!seen.has(address)) {
        seen.add(address);
        serving.push(state);
      }
      return state;
    };
    const layout: LayoutPriority[] = cluster.priorities.map((level) => {
      const flattened: PlanEntry[] = [];
      let total = 0;
      const localities: LayoutLocality[] = [];
      for (const l of level.localities) {
        if (!(l.weight > 0)) continue; // A27: a locality without weight gets no traffic
        const entries: PlanEntry[] = [];
        for (const endpoint of l.endpoints) {
          if (!isServingHealth(endpoint.health)) continue;
          entries.push({
            endpoint,
            weight: weightByLocality ? endpoint.weight * l.weight : endpoint.weight,
            load: stateFor(endpoint.address),
            pick: Object.freeze({ ok: true as const, endpoint }),
          });
        }
        for (const entry of entries) flattened.push(entry); // no spread: a locality may hold >100k endpoints
        total += l.endpoints.length;
        localities.push({ weight: l.weight, entries, total: l.endpoints.length });
      }
      return { localities, flattened, total };
    });
    // Forget addresses that left, unless calls to them are still in flight (release finds them).
    for (const [address, state] of this.#states) {
      if (!seen.has(address) && state.outstanding === 0) this.#states.delete(address);
    }
    const hashHeader =
      'requestHashHeader' in cluster.lbPolicy && typeof cluster.lbPolicy.requestHashHeader === 'string'
        ? cluster.lbPolicy.requestHashHeader.toLowerCase()
        : undefined;
    this.#version = {
      cluster,
      definition,
      layout,
      serving,
      context: Object.freeze({ random: this.#random, updateSeed: Math.floor(this.#random() * 2 ** 32) }),
      priorityPickers: [],
      hashHeader: hashHeader || undefined,
    };
    this.#breaker.configure(cluster.circuitBreaker);
    this.#drops.configure(cluster.dropOverloads);
    this.#updating = true;
    try {
      this.#outlier.setAddresses(serving);
      if (!this.#closed) this.#outlier.configure(cluster.outlierDetection);
    } finally {
      this.#updating = false;
    }
    this.#replan();
  }

  /** Rebuilds the pickers from the current version and ejection set. */
  #replan(): void {
    if (this.#updating) return;
    const v = this.#version;
    this.#plan = buildTrafficPlan(v.layout, {
      policy: v.cluster.lbPolicy,
      definition: v.definition,
      weighting: v.cluster.localityWeighting,
      context: v.context,
      priorityPickers: v.priorityPickers,
    });
  }

  pick(requestHash: bigint | undefined, headers: HeaderBag | undefined): EndpointPick | ClusterPickFailure {
    if (this.#drops.shouldDrop(this.#random)) {
      this.#droppedTotal++;
      return this.#failures.dropped;
    }
    if (this.#breaker.isOpen()) {
      this.#overloadedTotal++;
      return this.#failures.overloaded;
    }
    const hashHeader = this.#version.hashHeader;
    if (requestHash === undefined && hashHeader !== undefined) requestHash = hashRequestHeader(headers, hashHeader);
    const picked = this.#plan.pick(requestHash);
    if (picked === undefined) {
      this.#noEndpointTotal++;
      return this.#failures.noEndpoint;
    }
    this.#breaker.acquire();
    this.#requestsTotal++;
    picked.load.outstanding++;
    return picked.pick;
  }

  release(pick: EndpointPick, outcome: CallOutcome): void {
    this.#breaker.release();
    if (!outcome.ok) this.#failuresTotal++;
    if (outcome.latencyMs !== undefined) this.#latencyMsSum += outcome.latencyMs;
    const state = this.#states.get(pick.endpoint.address);
    if (state === undefined) return;
    if (state.outstanding > 0) state.outstanding--;
    state.record(outcome.ok);
  }

  stats(): ClusterStats {
    return {
      cluster: this.name,
      inFlight: this.#breaker.inFlight,
      requestsTotal: this.#requestsTotal,
      failuresTotal: this.#failuresTotal,
      droppedTotal: this.#droppedTotal,
      overloadedTotal: this.#overloadedTotal,
      noEndpointTotal: this.#noEndpointTotal,
      latencyMsSum: this.#latencyMsSum,
      ejected: this.#version.serving.filter((s) => s.ejected).map((s) => s.address),
    };
  }

  close(): void {
    this.#closed = true;
    this.#outlier.close();
  }
}

/**
 * Creates the long-lived balancer of `cluster` (xds-reference §5). Call `update` with each new
 * version of the cluster and `close` when the cluster goes away.
 * @throws InvalidConfigError when the cluster's policy is unknown or invalid.
 */
export function createClusterBalancer(cluster: Cluster, options: ClusterBalancerOptions = {}): ClusterBalancer {
  return new ClusterBalancerImpl(cluster, options);
}
