import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshClient } from '../../src/client/mesh-client';
import { XdsControlPlane } from '../../src/testing/xds-control-plane';

const meshYaml = (v1: number, v2: number) => `
services:
  reviews:
    routes:
      - match: { headers: { x-canary: "true" } }
        route: { cluster: reviews-v2 }
      - route: { weighted: [ { cluster: reviews-v1, weight: ${v1} }, { cluster: reviews-v2, weight: ${v2} } ] }
clusters:
  reviews-v1:
    endpoints: [ { host: 10.0.0.1, port: 9080, labels: { version: v1 } }, { host: 10.0.0.2, port: 9080, labels: { version: v1 } } ]
  reviews-v2:
    lbPolicy: { leastRequest: { choiceCount: 2 } }
    endpoints: [ { host: 10.0.0.3, port: 9080, labels: { version: v2 } } ]
`;

function v2Share(mesh: MeshClient, target: string, n: number, headers?: Record<string, string>): number {
  let v2 = 0;
  for (let i = 0; i < n; i++) {
    const r = mesh.pick(target, headers ? { headers } : {});
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    if (r.endpoint.labels.version === 'v2') v2++;
    r.done({ ok: true });
  }
  return v2 / n;
}

function until(mesh: MeshClient, test: () => boolean): Promise<void> {
  if (test()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!test()) return;
      mesh.off('update', check);
      resolve();
    };
    mesh.on('update', check);
  });
}

for (const delta of [false, true]) {
  describe(`MeshClient on XdsControlPlane (${delta ? 'delta' : 'state-of-the-world'} ADS)`, () => {
    let cp: XdsControlPlane;
    let mesh: MeshClient | undefined;
    let dir: string;
    beforeEach(async () => {
      cp = new XdsControlPlane();
      await cp.setMeshConfig(meshYaml(90, 10));
      await cp.start();
      dir = await mkdtemp(join(tmpdir(), 'sidecarless-xds-'));
    });
    afterEach(async () => {
      await mesh?.close();
      await cp.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('splits 90/10 over 100,000 picks, applies a push live, and keeps serving while the control plane is down and after it restarts', async () => {
      mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta }, cacheDir: dir });
      await mesh.ready(['xds:///reviews'], { timeoutMs: 5000 });
      assert.ok(Math.abs(v2Share(mesh, 'xds:///reviews', 100_000) - 0.1) < 0.01);
      assert.equal(v2Share(mesh, 'xds:///reviews', 100, { 'x-canary': 'true' }), 1);
      assert.ok(mesh.pick('reviews').ok, 'a bare name resolves through the xDS source');

      const pushed = until(mesh, () => Math.abs(v2Share(mesh!, 'xds:///reviews', 2000) - 0.5) < 0.1);
      await cp.setMeshConfig(meshYaml(50, 50));
      await pushed;
      assert.ok(Math.abs(v2Share(mesh, 'xds:///reviews', 100_000) - 0.5) < 0.01);

      await cp.stop();
      assert.ok(Math.abs(v2Share(mesh, 'xds:///reviews', 10_000) - 0.5) < 0.03, 'the last good state serves during the outage');
      await cp.setMeshConfig(meshYaml(0, 100));
      await cp.start();
      await until(mesh, () => v2Share(mesh!, 'xds:///reviews', 100) === 1);
    });

    it('rejects ready() and fails picks with MESH_ERR_DOES_NOT_EXIST for a listener the control plane never sends', async () => {
      mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta, resourceTimeoutMs: 200 } });
      await mesh.ready(['xds:///reviews'], { timeoutMs: 5000 });
      await assert.rejects(mesh.ready(['xds:///ratings'], { timeoutMs: 5000 }), (e: { code?: string }) => e.code === 'MESH_ERR_DOES_NOT_EXIST');
      const r = mesh.pick('xds:///ratings');
      assert.equal(!r.ok && r.error.code, 'MESH_ERR_DOES_NOT_EXIST');
      assert.ok(mesh.pick('xds:///reviews').ok, 'other targets are unaffected');
    });

    it('reports a stream that fails after responses (server gone) as an error, and recovers when it returns', async () => {
      mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta } });
      await mesh.ready(['xds:///reviews'], { timeoutMs: 5000 });
      const rotated = new Promise<void>((resolve, reject) => {
        mesh!.once('error', (e) => reject(new Error(`a clean stream end is not an error: ${e.error.message}`)));
        setImmediate(resolve);
      });
      cp.breakStreams(); // a clean end (servers rotate streams): reconnect, no error
      await rotated;
      const reported = new Promise<{ error: { code: string } }>((resolve) => mesh!.once('error', resolve));
      await cp.stop();
      assert.equal((await reported).error.code, 'MESH_ERR_SOURCE_FAILURE');
      assert.ok(mesh.pick('xds:///reviews').ok);
      await cp.setMeshConfig(meshYaml(0, 100));
      await cp.start();
      await until(mesh, () => v2Share(mesh!, 'xds:///reviews', 100) === 1);
    });

    it('starts from the on-disk cache when the control plane is unreachable', async () => {
      const first = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta }, cacheDir: dir });
      await first.ready(['xds:///reviews'], { timeoutMs: 5000 });
      assert.ok(first.pick('xds:///reviews').ok);
      await first.close();
      await cp.stop();

      mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta }, cacheDir: dir });
      await mesh.ready(['xds:///reviews'], { timeoutMs: 5000 });
      assert.ok(Math.abs(v2Share(mesh, 'xds:///reviews', 20_000) - 0.1) < 0.02);
    });
  });
}
