import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Agent, request, getGlobalDispatcher, type Dispatcher } from 'undici';
import type { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { runWithMeshContext } from '../../../src/integrations/outbound/mesh-context';
import { createMeshDispatcher, createMeshFetch, installGlobalDispatcher, meshInterceptor } from '../../../src/integrations/undici/index';
import { isRawDispatchHandler } from '../../../src/integrations/undici/single-attempt-handler';
import { closedPort, startBackend, testTls, type TestBackend } from '../support/http-backend';
import { headerCanary, retryPolicy, testMesh, testSnapshot, type TestCluster, type TestRoute } from '../support/mesh-fixture';

describe('sidecarless/undici', () => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function backend(...args: Parameters<typeof startBackend>): Promise<TestBackend> {
    const b = await startBackend(...args);
    open.push(b);
    return b;
  }

  async function meshOf(routes: TestRoute[], clusters: TestCluster[], target = 'reviews'): Promise<MeshClient> {
    const { mesh } = await testMesh(testSnapshot([{ target, routes }], clusters));
    open.push(mesh);
    return mesh;
  }

  function dispatcherOf(mesh: MeshClient): Dispatcher {
    const d = createMeshDispatcher(mesh);
    open.push(d);
    return d;
  }

  async function json(res: Dispatcher.ResponseData): Promise<Record<string, unknown>> {
    return (await res.body.json()) as Record<string, unknown>;
  }

  it('sends a request for a logical host to a picked endpoint, keeping Host and path', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const res = await request('http://reviews/api/v1?x=1', { dispatcher: dispatcherOf(mesh) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(await json(res), { backend: 'v1', host: 'reviews', url: '/api/v1?x=1' });
  });

  it('uses host:port of the origin as the target when the URL has a port', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }], 'reviews.default.svc.cluster.local:9080');
    const res = await request('http://reviews.default.svc.cluster.local:9080/r', { dispatcher: dispatcherOf(mesh) });
    assert.equal((await json(res)).host, 'reviews.default.svc.cluster.local:9080');
  });

  it('routes by request headers (header-forced canary)', async () => {
    const v1 = await backend('v1');
    const v2 = await backend('v2');
    const mesh = await meshOf(...headerCanary(v1.port, v2.port));
    const d = dispatcherOf(mesh);
    assert.equal((await json(await request('http://reviews/', { dispatcher: d, headers: { 'X-Canary': 'true' } }))).backend, 'v2');
    assert.equal((await json(await request('http://reviews/', { dispatcher: d }))).backend, 'v1');
  });

  it('adds the mesh context headers of the inbound request and routes by them', async () => {
    const v1 = await backend('v1');
    const v2 = await backend('v2');
    const mesh = await meshOf(...headerCanary(v1.port, v2.port));
    const d = dispatcherOf(mesh);
    const body = await runWithMeshContext({ 'x-canary': 'true', baggage: 'tenant=a' }, async () => json(await request('http://reviews/', { dispatcher: d })));
    assert.equal(body.backend, 'v2');
    assert.equal(v2.seen[0]!.headers.baggage, 'tenant=a');
  });

  it('passes requests for hosts the mesh does not know through untouched', async () => {
    const direct = await backend('direct');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [1] }]);
    const res = await request(`http://localhost:${direct.port}/p`, { dispatcher: dispatcherOf(mesh) });
    assert.deepEqual(await json(res), { backend: 'direct', host: `localhost:${direct.port}`, url: '/p' });
  });

  it('works with Node built-in fetch through createMeshFetch', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const meshFetch = createMeshFetch(mesh);
    open.push(meshFetch);
    const res = await meshFetch('http://reviews/f', { method: 'POST', body: 'hello' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { backend: 'v1', host: 'reviews', url: '/f' });
    assert.equal(v1.seen[0]!.body, 'hello');
  });

  it('fails with MESH_ERR_NO_ENDPOINT when the cluster has no endpoint, in undici and in fetch', async () => {
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'empty' } }], [{ name: 'empty', ports: [] }]);
    await assert.rejects(request('http://reviews/', { dispatcher: dispatcherOf(mesh) }), { code: ErrorCode.NO_ENDPOINT });
    const meshFetch = createMeshFetch(mesh);
    open.push(meshFetch);
    await assert.rejects(meshFetch('http://reviews/'), (err: Error) => (err.cause as { code?: string }).code === ErrorCode.NO_ENDPOINT);
  });

  it('fails with MESH_ERR_OVERLOADED when the circuit breaker is open, and recovers when the call ends', async () => {
    let release: (() => void) | undefined;
    const slow = await backend('slow', (_req, res) => {
      release = () => res.end('done');
    });
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [slow.port], init: { circuitBreaker: { maxRequests: 1 } } }]);
    const d = dispatcherOf(mesh);
    const first = request('http://reviews/', { dispatcher: d });
    while (slow.seen.length === 0) await new Promise((r) => setImmediate(r));
    await assert.rejects(request('http://reviews/', { dispatcher: d }), { code: ErrorCode.OVERLOADED });
    release!();
    assert.equal(await (await first).body.text(), 'done');
    const third = request('http://reviews/', { dispatcher: d });
    while (slow.seen.length < 2) await new Promise((r) => setImmediate(r));
    release!();
    assert.equal(await (await third).body.text(), 'done');
  });

  it('retries a 5xx answer on a fresh pick and reports both attempts', async () => {
    const flaky = await backend('flaky', (_req, res, i) => {
      res.statusCode = i === 0 ? 503 : 200;
      res.end(i === 0 ? 'unavailable' : 'ok');
    });
    const mesh = await meshOf(
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['5xx'], numRetries: 2 }) }],
      [{ name: 'v1', ports: [flaky.port] }],
    );
    const res = await request('http://reviews/', { dispatcher: dispatcherOf(mesh) });
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), 'ok');
    assert.equal(flaky.seen.length, 2);
    const stats = mesh.stats().find((s) => s.cluster === 'v1')!;
    assert.equal(stats.requestsTotal, 2);
    assert.equal(stats.failuresTotal, 1);
    assert.equal(stats.inFlight, 0);
  });

  it('returns the last 5xx when retries are exhausted and does not retry statuses retry_on does not name', async () => {
    const down = await backend('down', (_req, res) => {
      res.statusCode = 503;
      res.end('no');
    });
    const mesh = await meshOf(
      [
        { prefix: '/gw', action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['gateway-error'], numRetries: 2 }) },
        { action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [409] }) },
      ],
      [{ name: 'v1', ports: [down.port] }],
    );
    const d = dispatcherOf(mesh);
    const res = await request('http://reviews/gw', { dispatcher: d });
    assert.equal(res.statusCode, 503);
    assert.equal(await res.body.text(), 'no');
    assert.equal(down.seen.length, 3);
    const other = await request('http://reviews/other', { dispatcher: d });
    assert.equal(other.statusCode, 503);
    await other.body.text();
    assert.equal(down.seen.length, 4);
  });

  it('retries connect failures on another endpoint', async () => {
    const live = await backend('live');
    const dead = await closedPort();
    const mesh = await meshOf(
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['connect-failure'], numRetries: 3 }) }],
      [{ name: 'v1', ports: [dead, live.port] }],
    );
    const d = dispatcherOf(mesh);
    for (let i = 0; i < 4; i++) {
      assert.equal((await json(await request('http://reviews/', { dispatcher: d }))).backend, 'live');
    }
  });

  it('does not retry when the body is a stream (not replayable)', async () => {
    const flaky = await backend('flaky', (_req, res, i) => {
      res.statusCode = i === 0 ? 503 : 200;
      res.end();
    });
    const mesh = await meshOf(
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['5xx'], numRetries: 2 }) }],
      [{ name: 'v1', ports: [flaky.port] }],
    );
    const res = await request('http://reviews/', { dispatcher: dispatcherOf(mesh), method: 'POST', body: Readable.from(['a', 'b']) });
    assert.equal(res.statusCode, 503);
    await res.body.dump();
    assert.equal(flaky.seen.length, 1);
    assert.equal(flaky.seen[0]!.body, 'ab');
  });

  it('retries a replayable body and sends it again', async () => {
    const flaky = await backend('flaky', (_req, res, i) => {
      res.statusCode = i === 0 ? 500 : 201;
      res.end();
    });
    const mesh = await meshOf(
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['5xx'] }) }],
      [{ name: 'v1', ports: [flaky.port] }],
    );
    const res = await request('http://reviews/', { dispatcher: dispatcherOf(mesh), method: 'PUT', body: 'payload' });
    assert.equal(res.statusCode, 201);
    await res.body.dump();
    assert.deepEqual(flaky.seen.map((s) => s.body), ['payload', 'payload']);
  });

  it('fails with MESH_ERR_TIMEOUT after the route timeout instead of hanging', async () => {
    const silent = await backend('silent', () => undefined);
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' }, timeoutMs: 50 }], [{ name: 'v1', ports: [silent.port] }]);
    await assert.rejects(request('http://reviews/', { dispatcher: dispatcherOf(mesh) }), { code: ErrorCode.TIMEOUT });
    assert.equal(mesh.stats()[0]!.inFlight, 0);
    assert.equal(mesh.stats()[0]!.failuresTotal, 1);
  });

  it('retries after a per-try timeout on a fresh pick', async () => {
    const silent = await backend('silent', () => undefined);
    const live = await backend('live');
    const mesh = await meshOf(
      // 250 ms per try: the live backend must answer within it even on a loaded 2-core machine
      // (40 ms failed about 1 run in 5 there); the silent one costs it at most twice.
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['reset'], numRetries: 1, perTryTimeoutMs: 250 }) }],
      [{ name: 'v1', ports: [silent.port, live.port] }],
    );
    const d = dispatcherOf(mesh);
    for (let i = 0; i < 3; i++) assert.equal((await json(await request('http://reviews/', { dispatcher: d }))).backend, 'live');
    assert.ok(silent.seen.length >= 1, 'the silent endpoint was tried');
  });

  it('lets the caller abort during a back-off', async () => {
    const down = await backend('down', (_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const mesh = await meshOf(
      [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['5xx'], numRetries: 5, baseIntervalMs: 60_000, maxIntervalMs: 60_000 }) }],
      [{ name: 'v1', ports: [down.port] }],
    );
    const meshFetch = createMeshFetch(mesh, { random: () => 0.99 });
    open.push(meshFetch);
    const ac = new AbortController();
    const pending = meshFetch('http://reviews/', { signal: ac.signal });
    while (down.seen.length === 0) await new Promise((r) => setImmediate(r));
    ac.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(down.seen.length, 1);
  });

  it('sets the TLS server name and Host of the logical host for https', async () => {
    const secure = await backend('secure', undefined, { tls: true });
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [secure.port] }]);
    const d = createMeshDispatcher(mesh, { base: new Agent({ connect: { ca: testTls().cert } }) });
    open.push(d);
    const res = await request('https://reviews/s', { dispatcher: d });
    assert.deepEqual(await json(res), { backend: 'secure', host: 'reviews', url: '/s' });
    assert.equal(secure.seen[0]!.servername, 'reviews');
  });

  it('composes with other interceptors through dispatcher.compose', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const tagged: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
      dispatch({ ...opts, headers: { ...(opts.headers as Record<string, string>), 'x-tag': 'yes' } }, handler);
    const d = new Agent().compose(tagged, meshInterceptor(mesh));
    open.push(d);
    await (await request('http://reviews/', { dispatcher: d })).body.dump();
    assert.equal(v1.seen[0]!.headers['x-tag'], 'yes');
  });

  it('installs and uninstalls a global dispatcher used by Node fetch', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const before = getGlobalDispatcher();
    const uninstall = installGlobalDispatcher(mesh);
    try {
      assert.notEqual(getGlobalDispatcher(), before);
      const res = await fetch('http://reviews/g');
      assert.equal(((await res.json()) as { backend: string }).backend, 'v1');
    } finally {
      uninstall();
    }
    assert.equal(getGlobalDispatcher(), before);
  });

  it('rejects invalid options, naming them', async () => {
    assert.throws(() => meshInterceptor({} as MeshClient), { code: ErrorCode.INVALID_CONFIG, field: 'mesh' });
    const { mesh } = await testMesh(testSnapshot([], []));
    open.push(mesh);
    assert.throws(() => meshInterceptor(mesh, { targetsOf: 'x' as never }), { field: 'targetsOf' });
  });

  // Routes without retries, handlers with raw callbacks (request(), fetch): SingleAttemptHandler.
  describe('single-attempt fast path', () => {
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
      const d = dispatcherOf(mesh);
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
});
