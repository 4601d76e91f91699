import { InvalidConfigError } from '../../errors';
import { splitU64, U64_HI, U64_LO } from '../../hashing/u64-words';
import { xxh64 } from '../../hashing/xxh64';
import type { MaglevPolicy } from '../../model/cluster';
import type { EndpointPicker, LbPolicyDefinition, PickerContext, PickerEntry } from '../endpoint-picker';
import { HashTablePicker } from './hash-table-picker';
import { ringKey } from './ring-hash';

/** Whether `n` is prime (table sizes are small, trial division is enough). */
function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * Builds a Maglev lookup table (Eisenbud et al., NSDI 2016) of prime size `m`, weighted.
 *
 * Each endpoint's preference list is the permutation `(offset + j × skip) mod m`. Both numbers come
 * from **one** XXH64 (seed 0) of the endpoint key (the `hash_key` metadata or the address, as for
 * ring hash): `offset = h mod m`, `skip = (h >>> 32) mod (m − 1) + 1`. One hash with two derived
 * values is used instead of Envoy's two seeds because the synchronous XXH64 here has seed 0 only;
 * the table is therefore not byte-identical to Envoy's, which nothing requires (client-side only).
 *
 * Weights: in each round every endpoint earns `weight / maxWeight` credit and claims its next free
 * preferred slot for each whole credit, so slot counts are proportional to weight. Endpoints are
 * visited in key order so the table does not depend on the order the source listed them.
 * @returns for each slot the index of the owning entry.
 */
export function buildMaglevTable(entries: readonly PickerEntry[], m: number): Int32Array {
  const n = entries.length;
  const order = entries.map((_, i) => i);
  const keys = entries.map(ringKey);
  order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));

  const position = new Float64Array(n);
  const skip = new Float64Array(n);
  const credit = new Float64Array(n);
  const share = new Float64Array(n);
  let maxWeight = 0;
  for (const e of entries) maxWeight = Math.max(maxWeight, e.weight);
  for (let i = 0; i < n; i++) {
    const h = xxh64(keys[i]!);
    position[i] = Number(h % BigInt(m));
    skip[i] = (Number(h >> 32n) % (m - 1)) + 1;
    share[i] = entries[i]!.weight / maxWeight;
  }

  const table = new Int32Array(m).fill(-1);
  let filled = 0;
  while (filled < m) {
    for (const i of order) {
      credit[i] = credit[i]! + share[i]!;
      while (credit[i]! >= 1 && filled < m) {
        credit[i] = credit[i]! - 1;
        let c = position[i]!;
        while (table[c] !== -1) c = (c + skip[i]!) % m;
        table[c] = i;
        position[i] = (c + skip[i]!) % m;
        filled++;
      }
      if (filled === m) break;
    }
  }
  return table;
}

/**
 * Maglev lookup: slot `hash mod m`. An ejected owner falls back to the owner of the next slot with
 * a usable endpoint, a fixed choice per key; see {@link HashTablePicker}.
 */
class MaglevPicker extends HashTablePicker {
  readonly #size: number;
  /** 1 / size. */
  readonly #inverse: number;
  /** 2^32 mod size. */
  readonly #twoPow32: number;

  constructor(entries: readonly PickerEntry[], table: Int32Array, random: () => number) {
    super(entries, table, random);
    this.#size = table.length;
    this.#inverse = 1 / table.length;
    this.#twoPow32 = 2 ** 32 % table.length;
  }

  protected startSlot(requestHash: bigint): number {
    // hash mod m = ((hi mod m) × (2^32 mod m) + lo) mod m, without BigInt arithmetic (which
    // allocates) and without `%` on doubles (a call to fmod): with m ≤ 5,000,011 < 2^23 the sum
    // stays below 2^47, exact in a double.
    const words = splitU64(requestHash);
    const high = this.#mod(words[U64_HI]!);
    return this.#mod(high * this.#twoPow32 + words[U64_LO]!);
  }

  /**
   * `x mod m` for an integer 0 <= x < 2^47 through a multiplication by 1 / m: the rounded quotient
   * is off by at most one (relative error 2^-52 on a quotient below 2^47), which the test fixes.
   */
  #mod(x: number): number {
    const m = this.#size;
    const r = x - Math.floor(x * this.#inverse) * m;
    return r < 0 ? r + m : r >= m ? r - m : r;
  }
}

/** Maglev consistent hashing. */
export const maglev: LbPolicyDefinition<MaglevPolicy> = {
  scope: 'priority',
  usesRequestHash: true,
  validate(config: MaglevPolicy, path: string): void {
    if (!isPrime(config.tableSize) || config.tableSize > 5_000_011) {
      throw new InvalidConfigError(`${path}.tableSize`, `must be a prime number up to 5000011, got ${config.tableSize}`);
    }
  },
  create(entries: readonly PickerEntry[], config: MaglevPolicy, context: PickerContext): EndpointPicker {
    return new MaglevPicker(entries, buildMaglevTable(entries, config.tableSize), context.random);
  },
};
