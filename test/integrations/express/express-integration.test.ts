import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { meshAdmin, meshContext, meshErrorHandler } from '../../../src/integrations/express/index';
import { createMeshFetch, type MeshFetch } from '../../../src/integrations/undici/index';
import { StaticSource } from '../../../src/sources/static/static-source';
import { startBackend, type TestBackend } from '../support/http-backend';
import { testMesh, testSnapshot } from '../support/mesh-fixture';

describe('sidecarless/express', () => {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function listen(app: express.Express): Promise<string> {
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    open.push({
      close: async () => {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      },
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function canaryMesh(): Promise<{ mesh: MeshClient; v1: TestBackend; v2: TestBackend; meshFetch: MeshFetch }> {
    const v1 = await startBackend('v1');
    const v2 = await startBackend('v2');
    open.push(v1, v2);
    const { mesh } = await testMesh(
      testSnapshot(
        [
          {
            target: 'reviews',
            routes: [
              { header: { name: 'x-canary', value: 'true' }, action: { kind: 'cluster', cluster: 'v2' } },
              { prefix: '/slow', action: { kind: 'cluster', cluster: 'silent' }, timeoutMs: 30 },
              { prefix: '/none', action: { kind: 'cluster', cluster: 'empty' } },
              { action: { kind: 'cluster', cluster: 'v1' } },
            ],
          },
        ],
        [
          { name: 'v1', ports: [v1.port] },
          { name: 'v2', ports: [v2.port] },
          { name: 'empty', ports: [] },
          { name: 'silent', ports: [(await silentBackend()).port] },
        ],
      ),
    );
    open.push(mesh);
    const meshFetch = createMeshFetch(mesh);
    open.push(meshFetch);
    return { mesh, v1, v2, meshFetch };
  }

  async function silentBackend(): Promise<TestBackend> {
    const b = await startBackend('silent', () => undefined);
    open.push(b);
    return b;
  }

  function proxyApp(meshFetch: MeshFetch): express.Express {
    const app = express();
    app.use(meshContext({ tenantHeader: 'x-tenant' }));
    app.get('/{*path}', async (req, res) => {
      const upstream = await meshFetch(`http://reviews${req.path}`);
      res.json(await upstream.json());
    });
    app.use(meshErrorHandler());
    return app;
  }

  it('meshContext carries allow-listed inbound headers to outbound mesh calls, which route by them', async () => {
    const { meshFetch, v2 } = await canaryMesh();
    const base = await listen(proxyApp(meshFetch));
    const canary = await fetch(`${base}/x`, { headers: { 'x-canary': 'true', 'x-tenant': 't1', authorization: 'Bearer secret' } });
    assert.equal(((await canary.json()) as { backend: string }).backend, 'v2');
    assert.equal(v2.seen[0]!.headers['x-tenant'], 't1');
    assert.equal(v2.seen[0]!.headers.authorization, undefined, 'headers outside the allow-list are not carried');
    const stable = await fetch(`${base}/x`);
    assert.equal(((await stable.json()) as { backend: string }).backend, 'v1');
  });

  it('meshContext exposes its allow-list and rejects invalid header names', () => {
    assert.deepEqual(meshContext({ headers: ['X-Canary'], tenantHeader: 'x-tenant' }).headers, ['x-canary', 'x-tenant']);
    assert.throws(() => meshContext({ tenantHeader: 'bad header' }), { code: ErrorCode.INVALID_CONFIG, field: 'tenantHeader' });
  });

  it('meshErrorHandler answers 503 for no endpoint and 504 for a route timeout, and leaves other errors alone', async () => {
    const { meshFetch } = await canaryMesh();
    const app = proxyApp(meshFetch);
    const base = await listen(app);
    const none = await fetch(`${base}/none`);
    assert.equal(none.status, 503);
    assert.deepEqual(await none.json(), { error: { code: ErrorCode.NO_ENDPOINT } });
    const slow = await fetch(`${base}/slow`);
    assert.equal(slow.status, 504);
    assert.deepEqual(await slow.json(), { error: { code: ErrorCode.TIMEOUT } });
    const other = express();
    other.get('/', () => {
      throw new Error('boom');
    });
    other.use(meshErrorHandler());
    other.use((_e: unknown, _q: express.Request, res: express.Response, _n: express.NextFunction) => {
      res.status(500).send('app handler');
    });
    assert.equal(await (await fetch(await listen(other))).text(), 'app handler');
  });

  it('meshAdmin serves healthz, readyz, config_dump, endpoints and metrics', async () => {
    const { mesh, meshFetch } = await canaryMesh();
    await (await meshFetch('http://reviews/')).text();
    const app = express();
    app.use('/mesh', meshAdmin(mesh));
    const base = await listen(app);
    assert.equal((await fetch(`${base}/mesh/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/mesh/readyz`)).status, 200);
    const dump = (await (await fetch(`${base}/mesh/config_dump`)).json()) as { sources: Array<{ scheme: string; synced: boolean }> };
    assert.deepEqual(dump.sources.map((s) => [s.scheme, s.synced]), [['static', true]]);
    const endpoints = (await (await fetch(`${base}/mesh/endpoints`)).json()) as Array<{ cluster: string }>;
    assert.deepEqual(endpoints.map((e) => e.cluster).sort(), ['empty', 'silent', 'v1', 'v2']);
    const metrics = await fetch(`${base}/mesh/metrics`);
    assert.match(metrics.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    assert.match(text, /^# TYPE sidecarless_upstream_requests_total counter$/m);
    assert.match(text, /^sidecarless_upstream_requests_total\{sidecarless_cluster="v1",sidecarless_source="static"\} 1$/m);
    assert.match(text, /^sidecarless_upstream_active_requests\{sidecarless_cluster="v1",sidecarless_source="static"\} 0$/m);
    assert.match(text, /^sidecarless_upstream_request_duration_seconds_count\{sidecarless_cluster="v1",sidecarless_source="static"\} 1$/m);
  });

  it('meshAdmin readyz answers 503 until the sources have synced', async () => {
    const source = new StaticSource();
    const mesh = new MeshClient({ sources: [source] });
    open.push(mesh);
    const app = express();
    app.use(meshAdmin(mesh));
    const base = await listen(app);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    source.set(testSnapshot([], []));
    await mesh.ready();
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });
});
