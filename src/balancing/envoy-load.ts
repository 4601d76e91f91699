/**
 * Envoy's overprovisioning arithmetic (xds-reference §5.2, Envoy priority.rst and
 * locality_weight.rst), in floating point rather than Envoy's integer percentages.
 */

/** Usable and total endpoint counts of a priority or a locality. */
export interface HealthCount {
  readonly healthy: number;
  readonly total: number;
}

/**
 * Percent of traffic each priority receives (sums to 100 when any endpoint is healthy, else all 0).
 * `factor` is the overprovisioning factor as a ratio (140 % ⇒ 1.4).
 */
export function envoyPriorityLoads(priorities: readonly HealthCount[], factor: number): Float64Array {
  const health = priorities.map((p) => (p.total === 0 ? 0 : Math.min(100, (factor * 100 * p.healthy) / p.total)));
  const normalizedTotal = Math.min(100, health.reduce((a, b) => a + b, 0));
  const loads = new Float64Array(priorities.length);
  if (normalizedTotal === 0) return loads;
  let assigned = 0;
  for (let i = 0; i < health.length; i++) {
    loads[i] = Math.min(100 - assigned, (health[i]! * 100) / normalizedTotal);
    assigned += loads[i]!;
  }
  return loads;
}

/** `weight × min(100, factor × 100 × healthy / total)`: a locality's share within its priority. */
export function envoyLocalityWeight(weight: number, count: HealthCount, factor: number): number {
  if (count.total === 0) return 0;
  return weight * Math.min(100, (factor * 100 * count.healthy) / count.total);
}
