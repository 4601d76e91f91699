import type { BenchResult } from "./bench-result";
export async function run(): Promise<BenchResult[]> { return []; }
