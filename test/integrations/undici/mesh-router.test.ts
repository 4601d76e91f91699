import assert from 'node:assert/strict';
import { Agent, Dispatcher, request } from 'undici';
import type { MeshClient } from '../../../src/client/mesh-client';
import { createMeshDispatcher, meshInterceptor } from '../../../src/integrations/undici/index';
import { startBackend, type TestBackend } from '../support/http-backend';
import { retryPolicy, testMesh, testSnapshot, type TestCluster, type TestRoute } from '../support/mesh-fixture';

/** A real Agent that records what it is asked to dispatch. */
class RecordingAgent extends Agent {
  readonly calls: Array<{ opts: Dispatcher.DispatchOptions & { servername?: string }; handler: Dispatcher.DispatchHandler }> = [];

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.calls.push({ opts, handler });
    return super.dispatch(opts, handler);
  }
}

const TAG = Symbol('tag');

describe('sidecarless/undici: what the base dispatcher receives', () => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function setup(routes: TestRoute[], clusters: (port: number) => TestCluster[], target = 'reviews'): Promise<{ v1: TestBackend; mesh: MeshClient }> {
    const v1 = await startBackend('v1', (_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
    open.push(v1);
    const { mesh } = await testMesh(testSnapshot([{ target, routes }], clusters(v1.port)));
    open.push(mesh);
    return { v1, mesh };
  }

  function recordingDispatcher(mesh: MeshClient, options: Parameters<typeof createMeshDispatcher>[1] = {}): { base: RecordingAgent; d: Dispatcher } {
    const base = new RecordingAgent();
    const d = createMeshDispatcher(mesh, { ...options, base });
    open.push(d);
    return { base, d };
  }

  it('rewrites the origin, keeps the caller options and symbol keys, and sets Host and the server name', async () => {
    const { v1, mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const { base, d } = recordingDispatcher(mesh);
    const opts = { origin: 'http://reviews', path: '/r?q=1', method: 'GET', headers: { 'X-A': 'b' }, headersTimeout: 4321, [TAG]: 'kept' };
    const body = await new Promise<string>((resolve, reject) => {
      let text = '';
      d.dispatch(opts, {
        onHeaders: () => true,
        onData: (chunk: Buffer) => {
          text += chunk.toString();
          return true;
        },
        onComplete: () => resolve(text),
        onError: reject,
      });
    });
    assert.equal(body, 'ok');
    const sent = base.calls[0]!.opts as typeof opts & { servername?: string };
    assert.equal(sent.origin, `http://127.0.0.1:${v1.port}`);
    assert.deepEqual(sent.headers, { 'x-a': 'b', host: 'reviews' });
    assert.equal(sent.servername, 'reviews');
    assert.equal(sent.path, '/r?q=1');
    assert.equal(sent.headersTimeout, 4321);
    assert.equal(sent[TAG], 'kept');
    assert.equal(opts.origin, 'http://reviews', 'the caller options are not modified');
    assert.equal(v1.seen[0]!.headers.host, 'reviews');
  });

  it('hands pass-through requests to the base as they are, handler included', async () => {
    const { v1, mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const { base, d } = recordingDispatcher(mesh);
    const opts = { origin: `http://127.0.0.1:${v1.port}`, path: '/direct', method: 'GET' };
    let handler: Dispatcher.DispatchHandler | undefined;
    await new Promise<void>((resolve, reject) => {
      handler = { onConnect: () => undefined, onHeaders: () => true, onData: () => true, onComplete: () => resolve(), onError: reject };
      d.dispatch(opts, handler);
    });
    assert.equal(base.calls.length, 1);
    assert.equal(base.calls[0]!.opts, opts);
    assert.equal(base.calls[0]!.handler, handler);
    assert.equal(v1.seen[0]!.url, '/direct');
  });

  it('gives no server name for an IP-literal origin the mesh routes', async () => {
    const { v1, mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const { base, d } = recordingDispatcher(mesh, { targetsOf: () => ['reviews'] });
    await (await request('http://10.9.8.7/ip', { dispatcher: d })).body.dump();
    assert.equal(base.calls[0]!.opts.origin, `http://127.0.0.1:${v1.port}`);
    assert.equal(base.calls[0]!.opts.servername, undefined);
    assert.equal(v1.seen[0]!.headers.host, '10.9.8.7');
  });

  /** A mesh whose route retries 5xx, over a backend answering 503 first, then 200 with two cookies. */
  async function flakyMesh(): Promise<{ flaky: TestBackend; mesh: MeshClient }> {
    let calls = 0;
    const flaky = await startBackend('flaky', (_req, res) => {
      res.statusCode = calls++ === 0 ? 503 : 200;
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('body');
    });
    open.push(flaky);
    const { mesh } = await testMesh(
      testSnapshot(
        [{ target: 'reviews', routes: [{ action: { kind: 'cluster', cluster: 'v1' }, retryPolicy: retryPolicy({ retryOn: ['5xx'] }) }] }],
        [{ name: 'v1', ports: [flaky.port] }],
      ),
    );
    open.push(mesh);
    return { flaky, mesh };
  }

  it('passes every header value of a retried response to a raw handler', async () => {
    const { flaky, mesh } = await flakyMesh();
    const { d } = recordingDispatcher(mesh);
    const res = await request('http://reviews/', { dispatcher: d });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(await res.body.text(), 'body');
    assert.equal(flaky.seen.length, 2);
  });

  it('retries in a compose() stack too (controller-style handlers)', async () => {
    const { flaky, mesh } = await flakyMesh();
    const d = new Agent().compose(meshInterceptor(mesh));
    open.push(d);
    const res = await request('http://reviews/', { dispatcher: d });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(await res.body.text(), 'body');
    assert.equal(flaky.seen.length, 2);
    assert.equal(mesh.stats()[0]!.requestsTotal, 2);
  });

  it("forwards the base's events and reports its closed/destroyed state", async () => {
    const { mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const base = new Agent();
    const d = createMeshDispatcher(mesh, { base }) as Dispatcher & { closed: boolean; destroyed: boolean; stats: Agent['stats'] };
    const connected: string[] = [];
    d.on('connect', (origin) => connected.push(String(origin)));
    await (await request('http://reviews/', { dispatcher: d })).body.dump();
    assert.equal(connected.length, 1);
    assert.match(connected[0]!, /^http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(Object.keys(d.stats), Object.keys(base.stats));
    assert.equal(Object.keys(d.stats).length, 1);
    assert.equal(d.closed, false);
    await d.close();
    assert.equal(d.closed, true);
    assert.equal(base.closed, true);
    assert.equal(d.destroyed, true);
  });

  it('can itself be composed with more interceptors, and closed through the result', async () => {
    const { v1, mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const base = new Agent();
    const tagged: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
      dispatch({ ...opts, headers: { ...(opts.headers as Record<string, string>), 'x-tag': 'outer' } }, handler);
    const d = createMeshDispatcher(mesh, { base }).compose(tagged);
    await (await request('http://reviews/c', { dispatcher: d })).body.dump();
    assert.equal(v1.seen[0]!.headers['x-tag'], 'outer');
    assert.equal(v1.seen[0]!.headers.host, 'reviews');
    await d.close();
    assert.equal(base.closed, true);
  });

  it('destroys the base with it', async () => {
    const { mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' } }], (port) => [{ name: 'v1', ports: [port] }]);
    const base = new Agent();
    const d = createMeshDispatcher(mesh, { base });
    await new Promise<void>((resolve) => d.destroy(null, resolve));
    assert.equal(base.destroyed, true);
    await assert.rejects(request('http://reviews/', { dispatcher: d }), { name: 'ClientDestroyedError' });
    assert.equal(mesh.stats()[0]!.inFlight, 0);
  });
});
