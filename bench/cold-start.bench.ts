import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { loadGrpc } from '../src/testing/load-grpc';
import { XdsControlPlane } from '../src/testing/xds-control-plane';
import { median, type BenchResult } from './bench-result';

/** Runs per child script; the median is reported. */
const RUNS = 7;

/** What a child prints when it is done: its own clock (ms since process start) and RSS. */
interface ChildReport {
  readonly firstLine: number;
  readonly at: number;
  readonly rss: number;
}

interface ColdStart {
  /** From the script's first line to the first successful pick / RPC, ms. */
  readonly fromFirstLine: number;
  /** From spawn() in the parent to the child's report arriving, ms. */
  readonly wholeProcess: number;
  readonly rssMb: number;
}

function runChild(script: string, env: Record<string, string>): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl < 0 || settled) return;
      settled = true;
      const wholeProcess = performance.now() - t0;
      const r = JSON.parse(out.slice(0, nl)) as ChildReport;
      resolve({ fromFirstLine: r.at - r.firstLine, wholeProcess, rssMb: r.rss / 2 ** 20 });
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`${script} exited with ${code}: ${err.trim()}`));
    });
  });
}

/** A loopback gRPC backend for the grpc-js-xds child's RPC (raw bytes, one unary method). */
async function startBackend(g: typeof grpc): Promise<{ server: grpc.Server; port: number }> {
  const server = new g.Server();
  const identity = (b: Buffer) => b;
  server.addService(
    {
      Ping: {
        path: '/sidecarless.bench.Backend/Ping',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    { Ping: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.alloc(0)) },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', g.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { server, port };
}

/**
 * Cold start of a child process, median of {@link RUNS}: (a) require sidecarless (dist/) + connect a
 * MeshClient to a loopback XdsControlPlane + first successful pick; (b) @grpc/grpc-js +
 * @grpc/grpc-js-xds: load + register + resolve through the same control plane + first successful
 * RPC to a loopback backend. Both read the same bootstrap from GRPC_XDS_BOOTSTRAP_CONFIG.
 */
/** The one-service mesh both cold-start children resolve (`xds:///reviews`), backend on `port`. */
export function coldStartMesh(port: number): string {
  return `
services:
  reviews:
    routes: [ { route: { cluster: reviews-v1 } } ]
clusters:
  reviews-v1:
    endpoints: [ { host: 127.0.0.1, port: ${port} } ]
`;
}

export async function run(): Promise<BenchResult[]> {
  const g = loadGrpc();
  const backend = await startBackend(g);
  const cp = new XdsControlPlane();
  await cp.setMeshConfig(coldStartMesh(backend.port));
  await cp.start();
  const env = { GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(cp.bootstrap()), COLD_START_TARGET: 'xds:///reviews' };
  const ours: ColdStart[] = [];
  const theirs: ColdStart[] = [];
  try {
    // Alternate the two so machine noise hits both alike.
    for (let i = 0; i < RUNS; i++) {
      ours.push(await runChild(join(__dirname, 'cold-start', 'sidecarless-child.js'), env));
      theirs.push(await runChild(join(__dirname, 'cold-start', 'grpc-js-xds-child.js'), env));
    }
  } finally {
    await cp.stop();
    backend.server.forceShutdown();
  }
  const m = (list: ColdStart[], key: keyof ColdStart) => median(list.map((c) => c[key]));
  const round = (v: number) => Math.round(v * 10) / 10;
  const oursFirst = m(ours, 'fromFirstLine');
  const oursWhole = m(ours, 'wholeProcess');
  const oursRss = m(ours, 'rssMb');
  const theirsWhole = m(theirs, 'wholeProcess');
  return [
    {
      name: 'cold start: first line → import + xDS connect + first pick, median',
      value: round(oursFirst),
      unit: 'ms',
      budget: '< 100 ms',
      withinBudget: oursFirst < 100,
    },
    {
      name: 'cold start: whole process, spawn → first pick, median',
      value: round(oursWhole),
      unit: 'ms',
      budget: `< 1/4 of grpc-js-xds (${round(theirsWhole / 4)} ms)`,
      withinBudget: oursWhole < theirsWhole / 4,
    },
    { name: 'cold start: RSS at first pick, median', value: round(oursRss), unit: 'MB', budget: '< 70 MB', withinBudget: oursRss < 70 },
    { name: 'cold start (grpc-js-xds): first line → load + register + first RPC, median', value: round(m(theirs, 'fromFirstLine')), unit: 'ms' },
    { name: 'cold start (grpc-js-xds): whole process, spawn → first RPC, median', value: round(theirsWhole), unit: 'ms' },
    { name: 'cold start (grpc-js-xds): RSS at first RPC, median', value: round(m(theirs, 'rssMb')), unit: 'MB' },
  ];
}
