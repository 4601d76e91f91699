import { MeshClient } from '../src/client/mesh-client';
import { NacosServer } from '../src/testing/nacos-server';
import { median, type BenchResult } from './bench-result';
import { updated } from './mesh-update';

const INSTANCES = 10_000;
const TARGET = 'nacos://public/DEFAULT_GROUP/big';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The port the target's picks land on (every instance of a round has the same), or undefined. */
function portOf(mesh: MeshClient): number | undefined {
  const r = mesh.pick(TARGET);
  if (!r.ok) return undefined;
  r.done({ ok: true });
  return r.endpoint.port;
}

/**
 * A Nacos push of a 10,000-instance service to a subscribed MeshClient on loopback: from the end
 * of the (synchronous) registrations, when the server's 0 ms push timer is armed, to the client's
 * `update` — so the figure includes the server building and JSON-encoding the push, the transfer,
 * the client's decode and apply. Memory: client heap growth after GC (the server's own copy of the
 * instances is measured before the push and excluded) divided by the instance count.
 */
export async function run(): Promise<BenchResult[]> {
  const server = new NacosServer({ timing: { pushDelayMs: 0 } });
  await server.start();
  const mesh = new MeshClient({ nacos: { servers: [server.serverEntry] } });
  const times: number[] = [];
  const perInstance: number[] = [];
  try {
    server.registerInstance({ serviceName: 'big', ip: '10.255.255.1', port: 8080 });
    await mesh.ready([TARGET], { timeoutMs: 10_000 });
    for (let round = 0; round < 3; round++) {
      // Each round replaces the whole set with instances on a new port; a push carries the whole
      // list, so the first pick on the new port means all 10,000 are applied. The figure starts
      // after the registrations (the server's work before its 0 ms push timer fires).
      // Deregistration and registration happen in one synchronous block: one push, the new list.
      for (const i of server.instances({ serviceName: 'big' })) server.deregisterInstance({ serviceName: 'big', ip: i.ip, port: i.port });
      const port = 9000 + round;
      const applied = updated(mesh, () => portOf(mesh) === port);
      for (let i = 0; i < INSTANCES; i++) {
        server.registerInstance({ serviceName: 'big', ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, port, metadata: { version: 'v1', zone: `z${i % 3}` } });
      }
      const registered = performance.now();
      gc();
      const serverHeap = process.memoryUsage().heapUsed;
      times.push((await applied) - registered);
      gc();
      // Round 0 only: later rounds free the previous round's 10,000 as they apply the new ones.
      if (round === 0) perInstance.push((process.memoryUsage().heapUsed - serverHeap) / INSTANCES);
    }
  } finally {
    await mesh.close();
    await server.close();
  }
  const ms = median(times);
  return [
    {
      name: `Nacos push of a ${INSTANCES.toLocaleString('en')}-instance service → update (server encode + loopback + apply), median of 3`,
      value: Math.round(ms * 10) / 10,
      unit: 'ms',
      budget: '< 100 ms',
      withinBudget: ms < 100,
    },
    { name: 'Nacos client heap per instance (first 10,000-instance push, after GC)', value: Math.round(median(perInstance)), unit: 'B' },
  ];
}
