import { MeshClient } from '../src/client/mesh-client';
import { nacosMethods, type NacosPayload } from '../src/sources/nacos/payload-codec';
import { NacosServer } from '../src/testing/nacos-server';
import { median, type BenchResult } from './bench-result';
import { updated } from './mesh-update';

const INSTANCES = 10_000;
const ROUNDS = 5;
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
 * Records when the client starts decoding each NotifySubscriberRequest, i.e. when the whole
 * message has arrived: wraps the bi-stream deserializer the client takes when it opens its stream
 * (the server only serializes with this method definition, it never calls this one).
 */
function probeArrivals(): { readonly last: () => number; readonly restore: () => void } {
  const bidi = nacosMethods().bidi as { responseDeserialize: (bytes: Buffer) => NacosPayload };
  const original = bidi.responseDeserialize;
  let arrived = Number.NaN;
  bidi.responseDeserialize = (bytes) => {
    const at = performance.now();
    const p = original(bytes);
    if (p.type === 'NotifySubscriberRequest') arrived = at;
    return p;
  };
  return { last: () => arrived, restore: () => (bidi.responseDeserialize = original) };
}

const ip = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;

/**
 * A Nacos push of a 10,000-instance service to a subscribed MeshClient on loopback, two figures:
 * (a) the client's apply, from the push message's arrival (before its protobuf and JSON decode)
 * to MeshClient's `update` — the budget's subject; (b) the whole path, from the end of the
 * (synchronous) registrations, when the server's 0 ms push timer is armed (after the bench's own
 * GC and heap reading, which run before the timer can), to `update`, so it
 * adds the server building and JSON-encoding the push and the loopback transfer. Each full round
 * replaces every instance (new port: nothing reusable); then one instance of the 10,000 changes
 * its weight (every other endpoint reused). Memory: client heap growth after GC (the server's own
 * copy of the instances is measured before the push and excluded) divided by the instance count.
 */
export async function run(): Promise<BenchResult[]> {
  const probe = probeArrivals();
  const server = new NacosServer({ timing: { pushDelayMs: 0 } });
  await server.start();
  const mesh = new MeshClient({ nacos: { servers: [server.serverEntry] } });
  const apply: number[] = [];
  const whole: number[] = [];
  const oneApply: number[] = [];
  const perInstance: number[] = [];
  try {
    server.registerInstance({ serviceName: 'big', ip: '10.255.255.1', port: 8080 });
    await mesh.ready([TARGET], { timeoutMs: 10_000 });
    for (let round = 0; round < ROUNDS; round++) {
      // Each round replaces the whole set with instances on a new port; a push carries the whole
      // list, so the first pick on the new port means all 10,000 are applied. The figure starts
      // after the registrations (the server's work before its 0 ms push timer fires).
      // Deregistration and registration happen in one synchronous block: one push, the new list.
      for (const i of server.instances({ serviceName: 'big' })) server.deregisterInstance({ serviceName: 'big', ip: i.ip, port: i.port });
      const port = 9000 + round;
      const applied = updated(mesh, () => portOf(mesh) === port);
      for (let i = 0; i < INSTANCES; i++) {
        server.registerInstance({ serviceName: 'big', ip: ip(i), port, metadata: { version: 'v1', zone: `z${i % 3}` } });
      }
      // The push timer cannot run before this synchronous block ends: the explicit GC and the
      // heap reading stay out of the figure.
      gc();
      const serverHeap = process.memoryUsage().heapUsed;
      const registered = performance.now();
      const at = await applied;
      whole.push(at - registered);
      apply.push(at - probe.last());
      gc();
      // Round 0 only: later rounds free the previous round's 10,000 as they apply the new ones.
      if (round === 0) perInstance.push((process.memoryUsage().heapUsed - serverHeap) / INSTANCES);
      // One instance changes: the push still carries all 10,000.
      const changed = updated(mesh);
      server.registerInstance({ serviceName: 'big', ip: ip(round), port, weight: 2, metadata: { version: 'v1', zone: `z${round % 3}` } });
      const changedAt = await changed;
      oneApply.push(changedAt - probe.last());
    }
  } finally {
    probe.restore();
    await mesh.close();
    await server.close();
  }
  const a = median(apply);
  const one = median(oneApply);
  const b = median(whole);
  const round1 = (ms: number) => Math.round(ms * 10) / 10;
  return [
    {
      name: `Nacos push of ${INSTANCES.toLocaleString('en')} new instances: client apply (arrival → update), median of ${ROUNDS}`,
      value: round1(a),
      unit: 'ms',
      budget: '< 100 ms',
      withinBudget: a < 100,
    },
    {
      name: `Nacos push, 1 of ${INSTANCES.toLocaleString('en')} instances changed: client apply (arrival → update)`,
      value: round1(one),
      unit: 'ms',
      budget: '< 100 ms',
      withinBudget: one < 100,
    },
    {
      name: `Nacos push of ${INSTANCES.toLocaleString('en')} new instances: whole path (server encode + loopback + apply)`,
      value: round1(b),
      unit: 'ms',
    },
    { name: `Nacos client heap per instance (first ${INSTANCES.toLocaleString('en')}-instance push, after GC)`, value: Math.round(median(perInstance)), unit: 'B' },
  ];
}
