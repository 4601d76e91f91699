import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import sinon from 'sinon';
import type { MeshClient } from '../../../src/client/mesh-client';
import { registerMeshGrpc } from '../../../src/integrations/grpc/index';
import { retryPolicy, testMesh, testSnapshot, type TestCluster, type TestRoute } from '../support/mesh-fixture';
import { AttemptLog } from './attempt-log';
import { GreeterClient, hello, startGreeter, watch, type Greeter, type GreeterAnswer, type GreeterBackend } from './grpc-test-service';

/** A loopback port nothing listens on (listened on, then closed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function metadata(entries: Record<string, string>): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) md.set(k, v);
  return md;
}

/** A route that sends calls with `x-route: <name>` to `cluster`. */
function routeFor(name: string, cluster: string, extra: Omit<TestRoute, 'action' | 'header'> = {}): TestRoute {
  return { header: { name: 'x-route', value: name }, action: { kind: 'cluster', cluster }, ...extra };
}

const UNAVAILABLE: GreeterAnswer = { code: grpc.status.UNAVAILABLE };

describe('sidecarless/grpc retries (gRFC A44)', () => {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function backend(name: string, answer?: (md: grpc.Metadata) => GreeterAnswer): Promise<GreeterBackend> {
    const b = await startGreeter(name, answer);
    open.push(b);
    return b;
  }

  async function setup(
    routes: TestRoute[],
    clusters: TestCluster[],
    channelOptions: grpc.ChannelOptions = {},
  ): Promise<{ mesh: MeshClient; log: AttemptLog; client: Greeter }> {
    const { mesh } = await testMesh(testSnapshot([{ target: 'greeter', routes }], clusters));
    open.push(mesh);
    const log = new AttemptLog(mesh);
    registerMeshGrpc(grpc, log.mesh);
    const client = new GreeterClient('mesh:///greeter', grpc.credentials.createInsecure(), channelOptions) as unknown as Greeter;
    open.push(client);
    return { mesh, log, client };
  }

  /** One route to cluster `c` over `ports`, retrying per `policy`. */
  function retrying(
    ports: number[],
    policy: Parameters<typeof retryPolicy>[0],
    route: Omit<TestRoute, 'action' | 'retryPolicy'> = {},
    channelOptions: grpc.ChannelOptions = {},
  ): Promise<{ mesh: MeshClient; log: AttemptLog; client: Greeter }> {
    return setup([{ action: { kind: 'cluster', cluster: 'c' }, retryPolicy: retryPolicy(policy), ...route }], [{ name: 'c', ports }], channelOptions);
  }

  function clusterStats(mesh: MeshClient, name: string): ReturnType<MeshClient['stats']>[number] {
    return mesh.stats().find((s) => s.cluster === name)!;
  }

  it('retries a call that failed on a dead endpoint on another endpoint, picked again', async () => {
    const live = await backend('live');
    const dead = await deadPort();
    const { mesh, log, client } = await retrying([dead, live.port], { retryOn: ['unavailable'], numRetries: 1 });
    for (let i = 0; i < 10; i++) assert.equal((await hello(client)).backend, 'live');
    const calls = log.byCall();
    assert.equal(calls.length, 10);
    for (const ports of calls) assert.ok([`${live.port}`, `${dead},${live.port}`].includes(ports.join(',')), `attempts ${ports.join(',')}`);
    const deadAttempts = log.attempts.filter((a) => a.port === dead);
    assert.ok(deadAttempts.length >= 9, `round robin over 2 endpoints starts 9 of 10 calls on the dead one, got ${deadAttempts.length}`);
    for (const a of deadAttempts) assert.deepEqual([a.outcome?.ok, a.outcome?.status], [false, grpc.status.UNAVAILABLE]);
    assert.equal(live.calls.length, 10);
    const stats = clusterStats(mesh, 'c');
    assert.equal(stats.failuresTotal, deadAttempts.length);
    assert.equal(stats.requestsTotal, log.attempts.length);
    assert.equal(stats.inFlight, 0);
  });

  it('retries UNAVAILABLE answers from a backend on the other backend of the cluster', async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const good = await backend('good');
    const { log, client } = await retrying([bad.port, good.port], { retryOn: ['unavailable'], numRetries: 1 });
    for (let i = 0; i < 6; i++) assert.equal((await hello(client)).backend, 'good');
    for (const ports of log.byCall()) assert.ok([`${good.port}`, `${bad.port},${good.port}`].includes(ports.join(',')), `attempts ${ports.join(',')}`);
    assert.equal(good.calls.length, 6);
    assert.ok(bad.calls.length >= 5, `bad saw ${bad.calls.length}`);
    for (const md of bad.calls) assert.deepEqual(md.get('grpc-previous-rpc-attempts'), []);
    assert.deepEqual(
      good.calls.map((md) => md.get('grpc-previous-rpc-attempts')[0] ?? '0').sort(),
      [...Array<string>(6 - bad.calls.length).fill('0'), ...Array<string>(bad.calls.length).fill('1')],
    );
  });

  it('makes numRetries + 1 attempts on a backend that keeps failing, at most 5', async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const { mesh, log, client } = await setup(
      [
        routeFor('two', 'c', { retryPolicy: retryPolicy({ retryOn: ['unavailable'], numRetries: 2 }) }),
        routeFor('nine', 'c', { retryPolicy: retryPolicy({ retryOn: 'cancelled,unavailable'.split(','), numRetries: 9 }) }),
      ],
      [{ name: 'c', ports: [bad.port] }],
    );
    await assert.rejects(hello(client, metadata({ 'x-route': 'two' })), { code: grpc.status.UNAVAILABLE });
    assert.deepEqual(bad.calls.map((md) => md.get('grpc-previous-rpc-attempts')[0] ?? '0'), ['0', '1', '2']);
    await assert.rejects(hello(client, metadata({ 'x-route': 'nine' })), { code: grpc.status.UNAVAILABLE });
    assert.equal(bad.calls.length, 3 + 5);
    assert.deepEqual(log.byCall().map((ports) => ports.length), [3, 5]);
    const stats = clusterStats(mesh, 'c');
    assert.equal(stats.failuresTotal, 8);
    assert.equal(stats.inFlight, 0);
  });

  it('retries only the statuses retry_on names (gRPC codes; HTTP conditions do not count)', async () => {
    const bad = await backend('bad', (md) => ({ code: Number(md.get('x-fail')[0]) }));
    const { log, client } = await setup(
      [
        routeFor('unavailable', 'c', { retryPolicy: retryPolicy({ retryOn: ['unavailable', '5xx', 'reset'], numRetries: 2 }) }),
        routeFor('internal', 'c', { retryPolicy: retryPolicy({ retryOn: ['internal', 'resource-exhausted'], numRetries: 2 }) }),
        routeFor('http-only', 'c', { retryPolicy: retryPolicy({ retryOn: ['5xx', 'gateway-error', 'connect-failure'], numRetries: 2 }) }),
      ],
      [{ name: 'c', ports: [bad.port] }],
    );
    const attemptsOf = async (route: string, code: grpc.status): Promise<number> => {
      const before = bad.calls.length;
      await assert.rejects(hello(client, metadata({ 'x-route': route, 'x-fail': String(code) })), { code });
      return bad.calls.length - before;
    };
    assert.equal(await attemptsOf('unavailable', grpc.status.INTERNAL), 1);
    assert.equal(await attemptsOf('unavailable', grpc.status.UNAVAILABLE), 3);
    assert.equal(await attemptsOf('internal', grpc.status.INTERNAL), 3);
    assert.equal(await attemptsOf('internal', grpc.status.RESOURCE_EXHAUSTED), 3);
    assert.equal(await attemptsOf('internal', grpc.status.UNAVAILABLE), 1);
    assert.equal(await attemptsOf('http-only', grpc.status.UNAVAILABLE), 1);
    assert.equal(await attemptsOf('http-only', grpc.status.INTERNAL), 1);
    assert.equal(log.attempts.length, bad.calls.length);
  });

  it('does not retry once response headers were received (the call is committed)', async () => {
    const bad = await backend('bad', () => ({ code: grpc.status.UNAVAILABLE, headersFirst: true }));
    const good = await backend('good');
    const { log, client } = await retrying([bad.port, good.port], { retryOn: ['unavailable'], numRetries: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => hello(client)));
    const failed = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(failed.length, bad.calls.length, 'every call that reached bad failed there');
    assert.ok(failed.length >= 1);
    for (const o of failed) assert.equal((o.reason as grpc.ServiceError).code, grpc.status.UNAVAILABLE);
    assert.equal(log.attempts.length, 4, 'one attempt per call');
    assert.equal(bad.calls.length + good.calls.length, 4);
  });

  it('retries a server-streaming call that failed before its response headers', async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const good = await backend('good');
    const { log, client } = await retrying([bad.port, good.port], { retryOn: ['unavailable'], numRetries: 1 });
    for (let i = 0; i < 4; i++) assert.deepEqual((await watch(client)).map((r) => r.backend), ['good']);
    assert.ok(bad.calls.length >= 1);
    assert.equal(log.attempts.length, 4 + bad.calls.length);
  });

  it('does not retry a server-streaming call after its response headers', async () => {
    const bad = await backend('bad', () => ({ code: grpc.status.UNAVAILABLE, headersFirst: true }));
    const { log, client } = await retrying([bad.port], { retryOn: ['unavailable'], numRetries: 3 });
    await assert.rejects(watch(client), { code: grpc.status.UNAVAILABLE });
    assert.equal(bad.calls.length, 1);
    assert.equal(log.attempts.length, 1);
  });

  it('waits the exponential backoff between attempts, capped at maxIntervalMs (fake clock)', async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const { log, client } = await setup(
      [
        routeFor('warm-up', 'c'),
        routeFor('retry', 'c', { retryPolicy: retryPolicy({ retryOn: ['unavailable'], numRetries: 2, baseIntervalMs: 1000, maxIntervalMs: 1500 }) }),
      ],
      [{ name: 'c', ports: [bad.port] }],
    );
    // Connect first with real timers (one attempt, no retry policy), then fake only setTimeout.
    await assert.rejects(hello(client, metadata({ 'x-route': 'warm-up' })), { code: grpc.status.UNAVAILABLE });
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const call = hello(client, metadata({ 'x-route': 'retry' }));
      await log.ended(2);
      // grpc-js 1.14 draws each delay in [0.8, 1.2) x min(base x 2^(n-1), max).
      clock.tick(799);
      assert.equal(log.attempts.length, 2, 'no retry before 0.8 x 1000 ms');
      clock.tick(1200 - 799);
      assert.equal(log.attempts.length, 3, 'first retry picked by 1.2 x 1000 ms');
      await log.ended(3);
      clock.tick(1199);
      assert.equal(log.attempts.length, 3, 'no second retry before 0.8 x 1500 ms (2000 capped at 1500)');
      clock.tick(1800 - 1199);
      assert.equal(log.attempts.length, 4, 'second retry picked by 1.2 x 1500 ms');
      await assert.rejects(call, { code: grpc.status.UNAVAILABLE });
    } finally {
      clock.restore();
    }
    assert.equal(bad.calls.length, 1 + 3);
  });

  it('keeps the route timeout as the deadline of all attempts together', async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const { mesh, log, client } = await retrying([bad.port], { retryOn: ['unavailable'], numRetries: 4, baseIntervalMs: 10_000, maxIntervalMs: 10_000 }, { timeoutMs: 100 });
    await assert.rejects(hello(client), { code: grpc.status.DEADLINE_EXCEEDED });
    assert.equal(bad.calls.length, 1, 'the backoff (>= 8 s) outlasts the 100 ms deadline');
    assert.equal(log.attempts.length, 1);
    assert.equal(clusterStats(mesh, 'c').inFlight, 0);
  });

  it("makes one attempt when the channel sets 'grpc.enable_retries' to 0", async () => {
    const bad = await backend('bad', () => UNAVAILABLE);
    const { client } = await retrying([bad.port], { retryOn: ['unavailable'], numRetries: 3 }, {}, { 'grpc.enable_retries': 0 });
    await assert.rejects(hello(client), { code: grpc.status.UNAVAILABLE });
    assert.equal(bad.calls.length, 1);
  });

  it('releases the pick of an attempt still connecting when the call is cancelled', async () => {
    // A TCP listener that never speaks HTTP/2: the subchannel stays CONNECTING, the attempt queued.
    const sockets: Socket[] = [];
    const hung = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => (sockets.forEach((s) => s.destroy()), new Promise((resolve) => hung.close(resolve))) });
    const connected = once(hung, 'connection');
    const { mesh, client } = await retrying([(hung.address() as AddressInfo).port], { retryOn: ['unavailable', 'cancelled'], numRetries: 1 });
    let call: grpc.ClientUnaryCall | undefined;
    const result = new Promise((resolve, reject) => {
      call = client.hello({ name: 'x' }, new grpc.Metadata(), {}, (err, r) => (err ? reject(err) : resolve(r)));
    });
    await connected;
    assert.equal(clusterStats(mesh, 'c').inFlight, 1);
    call!.cancel();
    await assert.rejects(result, { code: grpc.status.CANCELLED });
    const stats = clusterStats(mesh, 'c');
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.requestsTotal, 1, 'a cancelled call is not retried');
    assert.equal(stats.failuresTotal, 1);
  });
});
