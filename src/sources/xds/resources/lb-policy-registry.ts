import { CLUSTER_DEFAULTS, type LbPolicy } from '../../../model/cluster';
import { decodeMessage, messageNameOf } from '../protos';
import { TypeUrl } from '../type-urls';
import type { WireAny, WireLoadBalancingPolicy, WireWrapper } from '../wire-types';
import { invalidField } from './resource-error';

/** A76/A42 ring size bound. */
export const MAX_RING_SIZE = 8_388_608;
/** A52 nesting limit of `load_balancing_policy`. */
export const MAX_LB_POLICY_DEPTH = 16;

/** Converts one typed LB policy config to the model; throws when the config is invalid. */
type LbPolicyConverter = (bytes: Uint8Array, field: string, depth: number) => LbPolicy;

function num(w: WireWrapper<string | number> | undefined): number | undefined {
  return w?.value === undefined ? undefined : Number(w.value);
}

/** Builds a ring_hash policy after the A42 checks on sizes. */
export function ringHashPolicy(minSize: number | undefined, maxSize: number | undefined, field: string): LbPolicy {
  const minRingSize = minSize ?? CLUSTER_DEFAULTS.ringHash.minRingSize;
  const maxRingSize = maxSize ?? CLUSTER_DEFAULTS.ringHash.maxRingSize;
  if (minRingSize > MAX_RING_SIZE) throw invalidField(`${field}.minimum_ring_size`, `must be <= ${MAX_RING_SIZE}`);
  if (maxRingSize > MAX_RING_SIZE) throw invalidField(`${field}.maximum_ring_size`, `must be <= ${MAX_RING_SIZE}`);
  if (minRingSize > maxRingSize) throw invalidField(`${field}.minimum_ring_size`, 'must be <= maximum_ring_size');
  return Object.freeze({ name: 'ring_hash', minRingSize, maxRingSize });
}

/** Builds a least_request policy (A48): choice_count < 2 rejected, > 10 clamped. */
export function leastRequestPolicy(choiceCount: number | undefined, field: string): LbPolicy {
  const n = choiceCount ?? CLUSTER_DEFAULTS.leastRequestChoiceCount;
  if (n < 2) throw invalidField(`${field}.choice_count`, 'must be >= 2');
  return Object.freeze({ name: 'least_request', choiceCount: Math.min(n, 10) });
}

const converters = new Map<string, LbPolicyConverter>([
  [TypeUrl.ROUND_ROBIN, () => CLUSTER_DEFAULTS.lbPolicy],
  [
    TypeUrl.RING_HASH,
    (bytes, field) => {
      const c = decodeMessage<{
        hash_function?: string | number;
        minimum_ring_size?: WireWrapper<string>;
        maximum_ring_size?: WireWrapper<string>;
      }>(messageNameOf(TypeUrl.RING_HASH), bytes);
      const fn = c.hash_function ?? 'DEFAULT_HASH';
      if (fn !== 'DEFAULT_HASH' && fn !== 'XX_HASH') throw invalidField(`${field}.hash_function`, `${fn} is not supported`);
      return ringHashPolicy(num(c.minimum_ring_size), num(c.maximum_ring_size), field);
    },
  ],
  [
    TypeUrl.LEAST_REQUEST,
    (bytes, field) => {
      const c = decodeMessage<{ choice_count?: WireWrapper<number> }>(messageNameOf(TypeUrl.LEAST_REQUEST), bytes);
      return leastRequestPolicy(c.choice_count?.value, field);
    },
  ],
  [
    TypeUrl.WRR_LOCALITY,
    (bytes, field, depth) => {
      const c = decodeMessage<{ endpoint_picking_policy?: WireLoadBalancingPolicy }>(messageNameOf(TypeUrl.WRR_LOCALITY), bytes);
      return selectLoadBalancingPolicy(c.endpoint_picking_policy, `${field}.endpoint_picking_policy`, depth + 1);
    },
  ],
  [
    TypeUrl.CLIENT_SIDE_WRR,
    (bytes, field) => {
      const c = decodeMessage<{ error_utilization_penalty?: WireWrapper<number> }>(messageNameOf(TypeUrl.CLIENT_SIDE_WRR), bytes);
      if ((c.error_utilization_penalty?.value ?? 0) < 0) throw invalidField(`${field}.error_utilization_penalty`, 'must be >= 0');
      // Without ORCA load reports the weights are the endpoint weights: static weighted round robin.
      return Object.freeze({ name: 'weighted_round_robin' });
    },
  ],
  [
    TypeUrl.PICK_FIRST,
    (bytes) => {
      const c = decodeMessage<{ shuffle_address_list?: boolean }>(messageNameOf(TypeUrl.PICK_FIRST), bytes);
      return Object.freeze({ name: 'pick_first', shuffleAddressList: c.shuffle_address_list === true });
    },
  ],
  [
    TypeUrl.MAGLEV,
    (bytes, field) => {
      const c = decodeMessage<{ table_size?: WireWrapper<string> }>(messageNameOf(TypeUrl.MAGLEV), bytes);
      return maglevPolicy(num(c.table_size), field);
    },
  ],
]);

/** Builds a maglev policy; the table size must be a prime <= 5,000,011 (Envoy's rule). */
export function maglevPolicy(tableSize: number | undefined, field: string): LbPolicy {
  const size = tableSize ?? CLUSTER_DEFAULTS.maglevTableSize;
  if (size > 5_000_011 || !isPrime(size)) throw invalidField(`${field}.table_size`, 'must be a prime <= 5000011');
  return Object.freeze({ name: 'maglev', tableSize: size });
}

function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * A52: the first supported entry of `load_balancing_policy.policies` wins; none supported, a
 * supported one invalid, or nesting deeper than 16 ⇒ the cluster is rejected.
 */
export function selectLoadBalancingPolicy(p: WireLoadBalancingPolicy | undefined, field: string, depth = 1): LbPolicy {
  if (depth > MAX_LB_POLICY_DEPTH) throw invalidField(field, `nesting deeper than ${MAX_LB_POLICY_DEPTH}`);
  const policies = p?.policies ?? [];
  for (let i = 0; i < policies.length; i++) {
    const any: WireAny | undefined = policies[i]!.typed_extension_config?.typed_config;
    const convert = any?.type_url ? converters.get(any.type_url) : undefined;
    if (convert) return convert(any!.value ?? new Uint8Array(), `${field}.policies[${i}].typed_extension_config.typed_config`, depth);
  }
  const seen = policies.map((x) => x.typed_extension_config?.typed_config?.type_url ?? '(none)').join(', ');
  throw invalidField(field, `no supported policy among [${seen}]`);
}
