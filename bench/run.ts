import { cpus, totalmem } from 'node:os';
import type { BenchResult } from './bench-result';

// Each bench module exports run(): Promise<BenchResult[]>. Run with `npm run bench`.
const MODULES = ['./xxh64.bench', './pick.bench', './cold-start.bench', './xds-apply.bench', './nacos-apply.bench', './dispatcher.bench', './grpc.bench'];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  console.log(`sidecarless benchmarks — ${new Date().toISOString()} — node ${process.version} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} — ${Math.round(totalmem() / 2 ** 30)} GiB`);
  let failed = 0;
  for (const path of MODULES) {
    if (only.length && !only.some((o) => path.includes(o))) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path) as { run(): Promise<BenchResult[]> };
    for (const r of await mod.run()) {
      const verdict = r.withinBudget === undefined ? '' : r.withinBudget ? '  ok' : '  OVER BUDGET';
      if (r.withinBudget === false) failed++;
      console.log(`${r.name.padEnd(72)} ${String(r.value).padStart(10)} ${r.unit.padEnd(4)} ${r.budget ? `(budget ${r.budget})` : ''}${verdict}`);
    }
  }
  if (failed > 0) {
    console.log(`${failed} figure(s) over budget`);
    process.exitCode = 1;
  }
}

void main();
