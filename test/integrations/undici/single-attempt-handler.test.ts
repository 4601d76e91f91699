import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import type { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { createMeshDispatcher, createMeshFetch } from '../../../src/integrations/undici/index';
import { isRawDispatchHandler } from '../../../src/integrations/undici/single-attempt-handler';
import { startBackend, type TestBackend } from '../support/http-backend';
import { testMesh, testSnapshot, type TestCluster, type TestRoute } from '../support/mesh-fixture';

// The single-attempt fast path: routes without retries, request()/fetch handlers (raw callbacks).
describe('sidecarless/undici single-attempt fast path', () => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function backend(...args: Parameters<typeof startBackend>): Promise<TestBackend> {
    const b = await startBackend(...args);
    open.push(b);
    return b;
  }

  async function meshOf(routes: TestRoute[], clusters: TestCluster[]): Promise<MeshClient> {
    const { mesh } = await testMesh(testSnapshot([{ target: 'reviews', routes }], clusters));
    open.push(mesh);
    return mesh;
  }

  it('tells raw-callback handlers from controller-style ones', () => {
    const raw = { onHeaders: () => true, onData: () => true, onComplete: () => undefined, onError: () => undefined };
    assert.equal(isRawDispatchHandler(raw), true);
    assert.equal(isRawDispatchHandler({ onRequestStart: () => undefined, onResponseError: () => undefined }), false);
  });

  it('reports each request once: a 200 as success, a 503 as failure (and returns the 503)', async () => {
    let status = 200;
    const b = await backend('v1', (_req, res) => {
      res.statusCode = status;
      res.end('x');
    });
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [b.port] }]);
    const d = createMeshDispatcher(mesh);
    open.push(d);
    const meshFetch = createMeshFetch(mesh);
    open.push(meshFetch);
    assert.equal((await (await request('http://reviews/', { dispatcher: d })).body.text()), 'x');
    assert.equal(await (await meshFetch('http://reviews/')).text(), 'x');
    status = 503;
    const res = await request('http://reviews/', { dispatcher: d });
    assert.equal(res.statusCode, 503);
    await res.body.dump();
    const stats = mesh.stats()[0]!;
    assert.equal(stats.requestsTotal, 3);
    assert.equal(stats.failuresTotal, 1);
    assert.equal(stats.inFlight, 0);
  });

  it('applies the route timeout to a request still queued for a connection', async () => {
    const silent = await backend('silent', () => undefined);
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' }, timeoutMs: 60 }], [{ name: 'v1', ports: [silent.port] }]);
    // One connection: the second request waits in undici's queue behind the first.
    const d = createMeshDispatcher(mesh, { base: new Agent({ connections: 1, pipelining: 1 }) });
    open.push(d);
    const results = await Promise.allSettled([request('http://reviews/a', { dispatcher: d }), request('http://reviews/b', { dispatcher: d })]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal((r.reason as { code?: string }).code, ErrorCode.TIMEOUT);
    }
    const stats = mesh.stats()[0]!;
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.failuresTotal, 2);
  });
});
