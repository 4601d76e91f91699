import * as grpc from '@grpc/grpc-js';
import { MeshClient } from '../src/client/mesh-client';
import { parseMeshConfig } from '../src/sources/file/mesh-config';
import { StaticSource } from '../src/sources/static/static-source';
import { registerMeshGrpc } from '../src/integrations/grpc/register-mesh-grpc';
import { ECHO_METHOD, startBackendProcess } from './backend-process';
import type { BenchResult } from './bench-result';
import { measureInterleaved, type SideFigures } from './interleaved-rounds';

const CONCURRENCY = 32;
const ROUNDS = 16;
const TURN_MS = 500;

const Echo = grpc.makeGenericClientConstructor({ ping: ECHO_METHOD }, 'Echo');
type EchoClient = grpc.Client & { ping(req: Buffer, cb: (err: grpc.ServiceError | null, res?: Buffer) => void): grpc.ClientUnaryCall };
// makeGenericClientConstructor types its methods loosely; this is the one method it adds.
const echoClient = (target: string, creds: grpc.ChannelCredentials): EchoClient => new Echo(target, creds) as unknown as EchoClient;

function ping(client: EchoClient, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => client.ping(payload, (err) => (err ? reject(err) : resolve())));
}

/**
 * Unary calls per second (4-byte payloads, 32 in flight) to one grpc-js server in another process:
 * a direct channel to `127.0.0.1:<port>` vs `mesh:///echo` (the sidecarless resolver, per-call
 * config selector and LB policy over a MeshClient on a static snapshot). 16 interleaved rounds of
 * 0.5 s per side after a warm-up; medians over rounds, the ratio taken per round.
 */
export async function run(): Promise<BenchResult[]> {
  const backend = await startBackendProcess('grpc');
  const snapshot = parseMeshConfig(`services:\n  echo: {}\nclusters:\n  echo:\n    endpoints: ["127.0.0.1:${backend.port}"]\n`);
  const mesh = new MeshClient({ sources: [new StaticSource(snapshot)], routingMode: 'grpc' });
  await mesh.ready(['echo']);
  registerMeshGrpc(grpc, mesh);
  const insecure = grpc.credentials.createInsecure();
  const direct = echoClient(`127.0.0.1:${backend.port}`, insecure);
  const viaMesh = echoClient('mesh:///echo', insecure);
  const payload = Buffer.from('ping');
  try {
    const [d, m] = (await measureInterleaved(
      [
        { name: 'direct', call: () => ping(direct, payload) },
        { name: 'mesh', call: () => ping(viaMesh, payload) },
      ],
      { concurrency: CONCURRENCY, turnMs: TURN_MS, rounds: ROUNDS, warmupMs: 1500 },
    )) as [SideFigures, SideFigures];
    return [
      { name: `grpc-js unary direct channel, ${CONCURRENCY} in flight, median of ${ROUNDS} turns`, value: Math.round(d.rps), unit: 'rps' },
      { name: `grpc-js unary via mesh:/// (sidecarless resolver + LB), ${CONCURRENCY} in flight`, value: Math.round(m.rps), unit: 'rps' },
      { name: 'mesh:/// / direct channel, throughput (median of per-round ratios)', value: Number((100 * m.ratioToFirst).toFixed(1)), unit: '%' },
      { name: 'client CPU per call, direct channel', value: Math.round(d.cpuUsPerCall), unit: 'µs' },
      { name: 'client CPU per call, via mesh:///', value: Math.round(m.cpuUsPerCall), unit: 'µs' },
    ];
  } finally {
    direct.close();
    viaMesh.close();
    await mesh.close();
    await backend.stop();
  }
}
