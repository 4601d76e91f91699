import { InvalidConfigError } from '../../errors';
import { CLUSTER_DEFAULTS, type RingHashPolicy } from '../../model/cluster';
import { splitU64, U64_HI, U64_LO, u64Words } from '../../hashing/u64-words';
import { xxh64 } from '../../hashing/xxh64';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';
import { HashTablePicker } from './hash-table-picker';

/** The endpoint key hashed into the ring: the `hash_key` metadata override, else the address. */
export function ringKey(entry: PickerEntry): string {
  return entry.endpoint.hashKey || entry.endpoint.address;
}

/**
 * A built ring: entry hashes sorted ascending (unsigned 64-bit) and the entry index owning each.
 * `words` views the same memory as `hashes` as 32-bit halves (see u64-words.ts), for lookups that
 * compare numbers: reading a BigUint64Array element allocates a BigInt.
 */
export interface Ring {
  readonly hashes: BigUint64Array;
  readonly words: Uint32Array;
  readonly owners: Int32Array;
}

/**
 * Builds the A42 ring (identical to Envoy and grpc-go): weights normalised to sum 1,
 * `scale = min(ceil(minWeight × minRingSize) / minWeight, maxRingSize)`; endpoints walked in key
 * order, each appending entries `XXH64("<key>_<i>")` while the running count is below the running
 * target `Σ scale × w`; then entries sorted by hash.
 */
export function buildRing(entries: readonly PickerEntry[], minRingSize: number, maxRingSize: number): Ring {
  let total = 0;
  for (const e of entries) total += e.weight;
  let minWeight = Infinity;
  for (const e of entries) minWeight = Math.min(minWeight, e.weight / total);
  const scale = Math.min(Math.ceil(minWeight * minRingSize) / minWeight, maxRingSize);
  const capacity = Math.ceil(scale);

  const order = entries.map((_, i) => i);
  const keys = entries.map(ringKey);
  order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));

  const rawHashes = new BigUint64Array(capacity);
  const rawOwners = new Int32Array(capacity);
  let count = 0;
  let current = 0;
  let target = 0;
  for (const i of order) {
    target += scale * (entries[i]!.weight / total);
    let n = 0;
    // `count < capacity` only guards against float rounding pushing one entry past ceil(scale).
    while (current < target && count < capacity) {
      rawHashes[count] = xxh64(`${keys[i]}_${n}`);
      rawOwners[count] = i;
      count++;
      n++;
      current++;
    }
  }

  const raw = u64Words(rawHashes);
  const perm = new Uint32Array(count);
  for (let k = 0; k < count; k++) perm[k] = k;
  perm.sort((a, b) => {
    const ha = raw[2 * a + U64_HI]!;
    const hb = raw[2 * b + U64_HI]!;
    if (ha !== hb) return ha < hb ? -1 : 1;
    const la = raw[2 * a + U64_LO]!;
    const lb = raw[2 * b + U64_LO]!;
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
  const hashes = new BigUint64Array(count);
  const owners = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    hashes[k] = rawHashes[perm[k]!]!;
    owners[k] = rawOwners[perm[k]!]!;
  }
  return { hashes, words: u64Words(hashes), owners };
}

/** Most bits of the top-bits index of a ring: 2^16 + 1 starts, 256 KiB, for rings above 65,536 entries. */
const MAX_INDEX_BITS = 16;

/**
 * Looks the request hash up on the ring: the first entry whose hash is >= the request hash,
 * wrapping to the first entry. Ejected owners are skipped by walking on to the next entries
 * (A42's "next distinct endpoint"); see {@link HashTablePicker}.
 *
 * The search compares 32-bit halves (no BigInt, see {@link Ring}) and starts from an index on the
 * top `bits` of the hash: `#starts[b]` is the first entry whose top bits are >= b, so the entry
 * sought lies in `[#starts[b], #starts[b + 1]]` for the request's top bits b. With about one entry
 * per bucket this replaces a dozen unpredictable branches of a full binary search by one or two.
 */
class RingHashPicker extends HashTablePicker {
  readonly #words: Uint32Array;
  readonly #size: number;
  readonly #shift: number;
  readonly #starts: Uint32Array;

  constructor(entries: readonly PickerEntry[], ring: Ring, random: () => number) {
    super(entries, ring.owners, random);
    const words = ring.words;
    const size = ring.hashes.length;
    const bits = Math.min(MAX_INDEX_BITS, Math.max(1, Math.ceil(Math.log2(size))));
    const shift = 32 - bits;
    const starts = new Uint32Array((1 << bits) + 1);
    let k = 0;
    for (let b = 0; b < starts.length; b++) {
      while (k < size && words[2 * k + U64_HI]! >>> shift < b) k++;
      starts[b] = k;
    }
    this.#words = words;
    this.#size = size;
    this.#shift = shift;
    this.#starts = starts;
  }

  protected startSlot(requestHash: bigint): number {
    // Unsigned 64-bit comparison on (high, low) halves: entry < request ⇔ its high half is
    // smaller, or equal with a smaller low half. Splitting the request once allocates nothing.
    const request = splitU64(requestHash);
    const rh = request[U64_HI]!;
    const rl = request[U64_LO]!;
    const words = this.#words;
    const bucket = rh >>> this.#shift;
    let lo = this.#starts[bucket]!;
    let hi = this.#starts[bucket + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const h = words[2 * mid + U64_HI]!;
      if (h < rh || (h === rh && words[2 * mid + U64_LO]! < rl)) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.#size ? 0 : lo;
  }
}

/** Largest ring accepted (A42, Envoy). */
const MAX_RING_SIZE = CLUSTER_DEFAULTS.ringHash.maxRingSize;

/** Consistent hashing on a ring (A42, A76). */
export const ringHash: LbPolicyDefinition<RingHashPolicy> = {
  scope: 'priority',
  usesRequestHash: true,
  validate(config: RingHashPolicy, path: string): void {
    for (const field of ['minRingSize', 'maxRingSize'] as const) {
      const v = config[field];
      if (!Number.isInteger(v) || v < 1 || v > MAX_RING_SIZE) {
        throw new InvalidConfigError(`${path}.${field}`, `must be an integer 1..${MAX_RING_SIZE}, got ${v}`);
      }
    }
    if (config.minRingSize > config.maxRingSize) {
      throw new InvalidConfigError(`${path}.minRingSize`, `must not exceed maxRingSize (${config.maxRingSize})`);
    }
  },
  create(entries: readonly PickerEntry[], config: RingHashPolicy, context: PickerContext): EndpointPicker {
    return new RingHashPicker(entries, buildRing(entries, config.minRingSize, config.maxRingSize), context.random);
  },
};
