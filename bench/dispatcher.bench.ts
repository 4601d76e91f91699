import { Agent, request } from 'undici';
import { MeshClient } from '../src/client/mesh-client';
import { parseMeshConfig } from '../src/sources/file/mesh-config';
import { StaticSource } from '../src/sources/static/static-source';
import { createMeshDispatcher } from '../src/integrations/undici/mesh-dispatcher';
import { startBackendProcess } from './backend-process';
import type { BenchResult } from './bench-result';
import { measureInterleaved, type SideFigures } from './interleaved-rounds';

const CONCURRENCY = 32;
// 32 alternating turns per side: the median of per-round ratios spreads ±8 % with 16 on this shared VM.
const ROUNDS = 32;
const TURN_MS = 500;

/**
 * Requests per second with undici's `request()` (keep-alive, 32 in flight) to one loopback HTTP
 * backend in another process: directly (`http://127.0.0.1:<port>/`) and through the sidecarless
 * dispatcher (`http://backend/`, routed by a MeshClient on a static snapshot). Same Agent options on
 * both sides; 16 interleaved rounds of 0.5 s per side after a warm-up; medians over rounds, the
 * ratio taken per round (see interleaved-rounds.ts).
 */
export async function run(): Promise<BenchResult[]> {
  const backend = await startBackendProcess('http');
  const snapshot = parseMeshConfig(`services:\n  backend: {}\nclusters:\n  backend:\n    endpoints: ["127.0.0.1:${backend.port}"]\n`);
  const mesh = new MeshClient({ sources: [new StaticSource(snapshot)] });
  await mesh.ready(['backend']);
  const direct = new Agent({ connections: CONCURRENCY });
  const viaMesh = createMeshDispatcher(mesh, { base: new Agent({ connections: CONCURRENCY }) });
  const directUrl = `http://127.0.0.1:${backend.port}/items/1`;
  const call = async (url: string, dispatcher: typeof direct | typeof viaMesh): Promise<void> => {
    const res = await request(url, { dispatcher });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  };
  try {
    const [d, m] = (await measureInterleaved(
      [
        { name: 'direct', call: () => call(directUrl, direct) },
        { name: 'mesh', call: () => call('http://backend/items/1', viaMesh) },
      ],
      { concurrency: CONCURRENCY, turnMs: TURN_MS, rounds: ROUNDS, warmupMs: 1500 },
    )) as [SideFigures, SideFigures];
    const ratio = 100 * m.ratioToFirst;
    return [
      { name: `undici request() direct, ${CONCURRENCY} in flight, median of ${ROUNDS} turns`, value: Math.round(d.rps), unit: 'rps' },
      { name: `undici request() via sidecarless dispatcher, ${CONCURRENCY} in flight`, value: Math.round(m.rps), unit: 'rps' },
      { name: 'sidecarless dispatcher / direct, throughput (median of per-round ratios)', value: Number(ratio.toFixed(1)), unit: '%', budget: '>= 95 %', withinBudget: ratio >= 95 },
      { name: 'client CPU per request, direct', value: Math.round(d.cpuUsPerCall), unit: 'µs' },
      { name: 'client CPU per request, via sidecarless dispatcher', value: Math.round(m.cpuUsPerCall), unit: 'µs' },
    ];
  } finally {
    await direct.close();
    await viaMesh.close();
    await mesh.close();
    await backend.stop();
  }
}
