/**
 * Running sums of `weights`, for {@link chooseWeighted}. Built once per update so that a weighted
 * draw is a binary search over a typed array and allocates nothing.
 * @internal
 */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    out[i] = sum;
  }
  return out;
}

/**
 * Index of the slot that `r` (uniform in [0, 1)) falls in, slots sized by the weights whose running
 * sums are `cumulative`: the first i with `r × total < cumulative[i]`. Zero-weight slots are never
 * chosen.
 * @internal
 */
export function chooseWeighted(cumulative: Float64Array, r: number): number {
  const n = cumulative.length;
  const target = r * cumulative[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (target < cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
