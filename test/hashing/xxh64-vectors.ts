/** Published XXH64 vectors, seed 0 (xds-reference §5.4): input and lowercase hex digest. */
export const XXH64_VECTORS: ReadonlyArray<readonly [string, string]> = [
  ['', 'ef46db3751d8e999'],
  ['a', 'd24ec4f1a98c6e5b'],
  ['abc', '44bc2cf5ad770999'],
  ['The quick brown fox jumps over the lazy dog', '0b242d361fda71bc'],
  ['10.0.0.1:8080_0', '23a29ae775dfd4a3'],
  ['10.0.0.1:8080_1', 'e6acd2238f8f5a9c'],
  ['[::1]:50051_0', '1d53eb4cd5d9421a'],
];

/** A 64-bit value as 16 lowercase hex digits. */
export const hex64 = (v: bigint): string => v.toString(16).padStart(16, '0');

/**
 * A random string of `length` UTF-16 units drawn from ASCII, 2- and 3-byte UTF-8 characters,
 * surrogate pairs and lone surrogates (or ASCII only).
 */
export function randomString(random: () => number, length: number, asciiOnly = false): string {
  const units: number[] = [];
  while (units.length < length) {
    const kind = asciiOnly ? 0 : Math.floor(random() * 6);
    if (kind <= 1) units.push(0x20 + Math.floor(random() * 0x5f));
    else if (kind === 2) units.push(0x80 + Math.floor(random() * 0x780)); // 2 UTF-8 bytes
    else if (kind === 3) units.push(0x800 + Math.floor(random() * 0xd000)); // 3 bytes (below surrogates)
    else if (kind === 4 && units.length + 2 <= length) units.push(0xd800 + Math.floor(random() * 0x400), 0xdc00 + Math.floor(random() * 0x400));
    else units.push(0xd800 + Math.floor(random() * 0x800)); // lone surrogate, high or low
  }
  return String.fromCharCode(...units);
}
