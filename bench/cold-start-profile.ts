// Profiles one cold start of bench/cold-start/sidecarless-child.ts: starts a loopback
// XdsControlPlane, runs the child once under `node --cpu-prof` and prints where its time went,
// by module / function (inclusive ms), so a regression on the first-pick path can be located.
// Usage: npm run build && npm run build:test && node build/bench/cold-start-profile.js [filter] [rows] [child.js]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XdsControlPlane } from '../src/testing/xds-control-plane';
import { coldStartMesh } from './cold-start.bench';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Inclusive time per function (ms), keyed `name file:line` with node_modules paths shortened. */
function inclusiveTimes(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|build)\//, '$1/')}:${f.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + t / 1000);
    }
  }
  return total;
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const rows = Number(process.argv[3] ?? 60);
  const cp = new XdsControlPlane();
  // Port 9 (discard): nothing listens; the profile stops at the first pick, before any call.
  await cp.setMeshConfig(coldStartMesh(9));
  await cp.start();
  const dir = mkdtempSync(join(tmpdir(), 'cold-prof-'));
  try {
    // Asynchronous: the control plane serves the child from this process's event loop.
    const child = await promisify(execFile)(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir, process.argv[4] ?? join(__dirname, 'cold-start', 'sidecarless-child.js')],
      { env: { ...process.env, GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(cp.bootstrap()) }, encoding: 'utf8', timeout: 30_000 },
    );
    process.stdout.write(child.stdout + child.stderr);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no profile written');
    const times = inclusiveTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const lines = [...times].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, rows);
    for (const [k, t] of lines) process.stdout.write(`${t.toFixed(1).padStart(7)} ms  ${k}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cp.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
