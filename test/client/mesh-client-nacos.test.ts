import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshClient } from '../../src/client/mesh-client';
import type { NacosServer } from '../../src/testing/nacos-server';
import { next, startServer } from '../sources/nacos/nacos-test-kit';

const TARGET = 'nacos://public/DEFAULT_GROUP/orders';
const rule = (v1: number, v2: number) => `
subsets:
  v1: { version: v1 }
  v2: { version: v2 }
routes:
  - match: { headers: { x-canary: "true" } }
    route: { cluster: v2 }
  - route: { weighted: [ { cluster: v1, weight: ${v1} }, { cluster: v2, weight: ${v2} } ] }
`;

function v2Share(mesh: MeshClient, n: number, headers?: Record<string, string>): number {
  let v2 = 0;
  for (let i = 0; i < n; i++) {
    const r = mesh.pick(TARGET, headers ? { headers } : {});
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    if (r.endpoint.labels.version === 'v2') v2++;
    r.done({ ok: true });
  }
  return v2 / n;
}

describe('MeshClient on a Nacos server (mixed Java and Node apps)', () => {
  let srv: NacosServer;
  let mesh: MeshClient | undefined;
  let dir: string;
  beforeEach(async () => {
    srv = await startServer();
    dir = await mkdtemp(join(tmpdir(), 'sidecarless-nacos-'));
  });
  afterEach(async () => {
    await mesh?.close();
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('splits 90/10 by version label within ±1 % over 100,000 picks, applies a rule change live, and keeps serving when the server dies', async () => {
    // Two instances registered the way a Java (Dubbo / Spring Cloud) app would, version v1.
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 20880, metadata: { version: 'v1' } });
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.2', port: 20880, metadata: { version: 'v1' } });
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: rule(90, 10), type: 'yaml' });
    // This Node app registers itself as v2 of the same service and routes to it.
    mesh = new MeshClient({
      nacos: { servers: [srv.serverEntry], register: { service: 'orders', ip: '127.0.0.1', port: 8080, metadata: { version: 'v2' } } },
      cacheDir: dir,
    });
    const registered = () => srv.instances({ serviceName: 'orders' }).some((i) => i.ip === '127.0.0.1');
    // The rule is applied once the header canary always lands on v2 (before it, the whole service is one cluster).
    const ruleApplied = () => v2Share(mesh!, 50, { 'x-canary': 'true' }) === 1;
    await mesh.ready([TARGET], { timeoutMs: 10_000 });
    if (!ruleApplied()) await next(mesh, 'update', ruleApplied);
    assert.ok(registered(), 'the Node app is registered in Nacos');

    assert.ok(Math.abs(v2Share(mesh, 100_000) - 0.1) < 0.01);
    assert.equal(v2Share(mesh, 1000, { 'x-canary': 'true' }), 1, 'the header canary always goes to v2');

    const halved = next(mesh, 'update', () => Math.abs(v2Share(mesh!, 2000) - 0.5) < 0.1);
    srv.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: rule(50, 50), type: 'yaml' });
    await halved;
    assert.ok(Math.abs(v2Share(mesh, 100_000) - 0.5) < 0.01);

    // The control plane goes away: the last good state keeps serving.
    await srv.stop();
    assert.ok(Math.abs(v2Share(mesh, 10_000) - 0.5) < 0.03);
  });
});
