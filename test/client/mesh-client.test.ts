import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshClient } from '../../src/client/mesh-client';
import { ErrorCode, MeshError } from '../../src/errors';
import { createCluster } from '../../src/model/cluster';
import { createEndpoint } from '../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../src/model/mesh-snapshot';
import type { Route, RouteAction } from '../../src/model/route-table';
import { StaticSource } from '../../src/sources/static/static-source';

function route(action: RouteAction, prefix = '/'): Route {
  return {
    match: { path: { kind: 'prefix', value: prefix }, caseSensitive: true, headers: [], queryParameters: [] },
    action,
    hashPolicies: [],
  };
}

function canarySnapshot(v1: number, v2: number, version = '1'): MeshSnapshot {
  return createMeshSnapshot({
    version,
    listeners: [
      {
        name: 'reviews',
        routeTable: {
          name: 'reviews',
          virtualHosts: [
            {
              name: 'reviews',
              domains: ['*'],
              routes: [
                route({ kind: 'cluster', cluster: 'reviews-v2' }, '/v2/'),
                // Sources drop zero-weight entries (model contract).
                route({
                  kind: 'weightedClusters',
                  clusters: [
                    { name: 'reviews-v1', weight: v1 },
                    { name: 'reviews-v2', weight: v2 },
                  ].filter((c) => c.weight > 0),
                }),
              ],
            },
          ],
        },
      },
    ],
    clusters: [
      createCluster({ name: 'reviews-v1', endpoints: [createEndpoint({ host: '10.0.0.1', port: 9080, labels: { version: 'v1' } })] }),
      createCluster({
        name: 'reviews-v2',
        endpoints: [createEndpoint({ host: '10.0.0.2', port: 9080, labels: { version: 'v2' } })],
        circuitBreaker: { maxRequests: 2 },
      }),
    ],
  });
}

function once<T>(emitter: { once(event: string, fn: (arg: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

describe('MeshClient', () => {
  const clients: MeshClient[] = [];
  const track = (c: MeshClient) => (clients.push(c), c);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  describe('options', () => {
    it('rejects an unknown option naming it', () => {
      assert.throws(
        () => new MeshClient({ fiel: 'x' } as never),
        (e: unknown) => e instanceof MeshError && e.code === ErrorCode.INVALID_CONFIG && e.field === 'fiel',
      );
    });
    it('rejects an invalid routingMode naming the field', () => {
      assert.throws(
        () => new MeshClient({ sources: [new StaticSource()], routingMode: 'h2' as never }),
        (e: unknown) => e instanceof MeshError && e.code === ErrorCode.INVALID_CONFIG && e.field === 'routingMode',
      );
    });
    it('rejects a source that does not implement Source', () => {
      assert.throws(
        () => new MeshClient({ sources: [{} as never] }),
        (e: unknown) => e instanceof MeshError && e.field === 'sources[0]',
      );
    });
    it('requires at least one source', () => {
      assert.throws(() => new MeshClient({}), (e: unknown) => e instanceof MeshError && e.code === ErrorCode.INVALID_CONFIG);
    });
  });

  describe('pick', () => {
    it('fails with MESH_ERR_DOES_NOT_EXIST for a target the synced source does not have', async () => {
      const mesh = track(new MeshClient({ sources: [new StaticSource(canarySnapshot(90, 10))] }));
      await mesh.ready();
      const r = mesh.pick('ratings');
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.code, ErrorCode.DOES_NOT_EXIST);
    });

    it('routes by path and splits weighted clusters 90/10 within ±1 % over 100,000 picks', async () => {
      const mesh = track(new MeshClient({ sources: [new StaticSource(canarySnapshot(90, 10))] }));
      await mesh.ready(['reviews']);
      const first = mesh.pick('reviews', { path: '/v2/x' });
      assert.ok(first.ok);
      assert.equal(first.cluster, 'reviews-v2');
      first.done();
      let v2 = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++) {
        const r = mesh.pick('reviews', { path: '/api' });
        assert.ok(r.ok);
        if (r.endpoint.labels.version === 'v2') v2++;
        r.done({ ok: true, latencyMs: 1 });
      }
      assert.ok(Math.abs(v2 / n - 0.1) < 0.01, `v2 share ${v2 / n}`);
    });

    it('applies the circuit breaker and frees the slot when done() is called, once', async () => {
      const mesh = track(new MeshClient({ sources: [new StaticSource(canarySnapshot(90, 10))] }));
      await mesh.ready(['reviews']);
      const a = mesh.pick('reviews', { path: '/v2/' });
      const b = mesh.pick('reviews', { path: '/v2/' });
      assert.ok(a.ok && b.ok);
      const c = mesh.pick('reviews', { path: '/v2/' });
      assert.equal(!c.ok && c.error.code, ErrorCode.OVERLOADED);
      const { done } = a; // detached call is supported
      done({ ok: true });
      done({ ok: true }); // ignored
      const d = mesh.pick('reviews', { path: '/v2/' });
      assert.ok(d.ok);
      const e = mesh.pick('reviews', { path: '/v2/' });
      assert.equal(e.ok, false, 'second done() must not free another slot');
    });

    it('applies a new snapshot atomically: picks reflect it after the update event', async () => {
      const source = new StaticSource(canarySnapshot(100, 0));
      const mesh = track(new MeshClient({ sources: [source] }));
      await mesh.ready(['reviews']);
      for (let i = 0; i < 100; i++) {
        const r = mesh.pick('reviews');
        assert.ok(r.ok && r.cluster === 'reviews-v1');
        r.done();
      }
      const updated = once(mesh, 'update');
      source.set(canarySnapshot(0, 100, '2'));
      assert.deepEqual(await updated, { source: 'static', version: '2' });
      const r = mesh.pick('reviews');
      assert.ok(r.ok && r.cluster === 'reviews-v2');
    });

    it('resolves a bare name through sources in order and an explicit scheme to its source', async () => {
      const empty = new StaticSource(createMeshSnapshot({ version: 'e' }), 'first');
      const full = new StaticSource(canarySnapshot(100, 0), 'second');
      const mesh = track(new MeshClient({ sources: [empty, full] }));
      await mesh.ready(['reviews']);
      assert.ok(mesh.pick('reviews').ok);
      assert.ok(mesh.pick('second:///reviews').ok);
      const r = mesh.pick('first:///reviews');
      assert.equal(!r.ok && r.error.code, ErrorCode.DOES_NOT_EXIST);
    });
  });

  describe('ready', () => {
    it('rejects with MESH_ERR_TIMEOUT naming what is missing', async () => {
      const mesh = track(new MeshClient({ sources: [new StaticSource()] }));
      await assert.rejects(mesh.ready(['reviews'], { timeoutMs: 20 }), (e: unknown) => {
        return e instanceof MeshError && e.code === ErrorCode.TIMEOUT && /static/.test(e.message);
      });
    });
    it('resolves when a late snapshot arrives', async () => {
      const source = new StaticSource();
      const mesh = track(new MeshClient({ sources: [source] }));
      const ready = mesh.ready(['reviews'], { timeoutMs: 5000 });
      source.set(canarySnapshot(90, 10));
      await ready;
      assert.ok(mesh.pick('reviews').ok);
    });
  });

  describe('cacheDir', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sidecarless-client-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('starts from the last good state on disk when no source answers', async () => {
      const first = new MeshClient({ sources: [new StaticSource(canarySnapshot(100, 0, 'cached'))], cacheDir: dir });
      await first.ready(['reviews']);
      await first.close();
      assert.ok((await readdir(dir)).length > 0, 'a cache file was written');

      const mesh = track(new MeshClient({ sources: [new StaticSource()], cacheDir: dir }));
      await mesh.ready(['reviews'], { timeoutMs: 2000 });
      const r = mesh.pick('reviews');
      assert.ok(r.ok);
      assert.equal(r.endpoint.address, '10.0.0.1:9080');
    });
  });

  describe('cacheDir with a corrupt file', () => {
    it('reports MESH_ERR_CACHE_CORRUPT as an error event and keeps going without it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sidecarless-client-'));
      try {
        const first = new MeshClient({ sources: [new StaticSource(canarySnapshot(100, 0))], cacheDir: dir });
        await first.ready(['reviews']);
        await first.close();
        const [file] = await readdir(dir);
        await writeFile(join(dir, file!), '{"format": "sidecarless.snapshot", truncated');
        const source = new StaticSource();
        const mesh = track(new MeshClient({ sources: [source], cacheDir: dir }));
        const error = await new Promise<{ source: string; error: MeshError }>((resolve) => mesh.once('error', resolve));
        assert.equal(error.error.code, ErrorCode.CACHE_CORRUPT);
        assert.equal(mesh.pick('reviews').ok, false);
        source.set(canarySnapshot(100, 0));
        await mesh.ready(['reviews']);
        assert.ok(mesh.pick('reviews').ok);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('dump', () => {
    it('shows sources, targets and cluster stats as JSON', async () => {
      const mesh = track(new MeshClient({ sources: [new StaticSource(canarySnapshot(90, 10))] }));
      await mesh.ready(['reviews']);
      assert.ok(mesh.pick('reviews').ok);
      const dump = JSON.parse(JSON.stringify(mesh.dump()));
      assert.equal(dump.sources[0].scheme, 'static');
      assert.deepEqual(dump.targets[0], { target: 'reviews', source: 'static', listener: 'reviews', routeTable: 'reviews', status: 'ok' });
      assert.deepEqual(dump.clusters.map((c: { cluster: string }) => c.cluster).sort(), ['reviews-v1', 'reviews-v2']);
    });
  });
});
