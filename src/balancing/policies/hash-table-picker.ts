import type { EndpointPicker, PickerEntry } from '../endpoint-picker';

/**
 * Shared lookup of the consistent-hash policies: a table of slots (ring entries, Maglev slots),
 * each owned by an entry. A subclass maps the request hash (or, with none, a random number) to a
 * starting slot; from there the first slot whose owner is not ejected wins, so a key whose endpoint
 * is ejected moves to a fixed fallback and every other key stays where it was.
 */
export abstract class HashTablePicker implements EndpointPicker {
  readonly #entries: readonly PickerEntry[];
  readonly #owners: Int32Array;
  /** Uniform [0, 1) source for picks without a request hash. */
  protected readonly random: () => number;

  constructor(entries: readonly PickerEntry[], owners: Int32Array, random: () => number) {
    this.#entries = entries;
    this.#owners = owners;
    this.random = random;
  }

  /** The slot a request hash starts at, in [0, owners.length). */
  protected abstract startSlot(requestHash: bigint): number;

  pick(requestHash: bigint | undefined): number {
    const owners = this.#owners;
    const size = owners.length;
    const entries = this.#entries;
    // No hash: a uniformly random slot, so load follows slot counts, i.e. weights (A76).
    let k = requestHash === undefined ? Math.floor(this.random() * size) : this.startSlot(requestHash);
    for (let step = 0; step < size; step++) {
      const owner = owners[k]!;
      if (!entries[owner]!.load.ejected) return owner;
      k = k + 1 === size ? 0 : k + 1;
    }
    return -1;
  }
}
