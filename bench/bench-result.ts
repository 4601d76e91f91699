/** One measured figure, printed by bench/run.ts and copied into BENCHMARKS.md. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Budget from DESIGN.md, when there is one. */
  readonly budget?: string;
  /** Whether the figure is within budget (undefined: no budget). */
  readonly withinBudget?: boolean;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
