import assert from 'node:assert/strict';
import { DEFAULT_RPC_TIMING, type NacosRpcClient } from '../../../src/sources/nacos/nacos-rpc-client';
import { successBody } from '../../../src/sources/nacos/nacos-response';
import { NacosServer, type NacosConnectionInfo, type NamingPushRecord } from '../../../src/testing/nacos-server';
import type { NacosServerAddress } from '../../../src/sources/nacos/server-address';
import { FAST_SERVER_TIMING, fakeClock, next, rpcClient, startServer, tickUntil, until } from './nacos-test-kit';

const REGISTER = (ip: string) => ({
  headers: {},
  namespace: 'public',
  serviceName: 'svc',
  groupName: 'DEFAULT_GROUP',
  type: 'registerInstance',
  instance: { ip, port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} },
  module: 'naming',
});

describe('NacosRpcClient', () => {
  const servers: NacosServer[] = [];
  const clients: NacosRpcClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.close();
  });
  async function server(options: ConstructorParameters<typeof NacosServer>[0] = {}): Promise<NacosServer> {
    const s = await startServer(options);
    servers.push(s);
    return s;
  }
  function client(...args: Parameters<typeof rpcClient>): NacosRpcClient {
    const c = rpcClient(...args);
    clients.push(c);
    return c;
  }

  it('does ServerCheck, then ConnectionSetup with sdk/module labels and an abilityTable, and gets SetupAck', async () => {
    const s = await server();
    const c = client(s, { module: 'config', tenant: 'ns1', labels: { AppName: 'orders' } });
    const registered = next<[NacosConnectionInfo]>(s, 'connected');
    c.start();
    await c.whenConnected();
    const [info] = await registered;
    assert.equal(info.connectionId, c.connectionId);
    assert.deepEqual(info.labels, { AppName: 'orders', source: 'sdk', module: 'config' });
    assert.equal(info.tenant, 'ns1');
    assert.deepEqual(info.abilityTable, {});
    assert.match(info.clientVersion, /^Nacos-Node-Client/);
  });

  it('sends unary requests on the transport that did the setup (same connection id)', async () => {
    const s = await server();
    const c = client(s);
    c.start();
    await c.whenConnected();
    const res = await c.request('InstanceRequest', REGISTER('10.0.0.1'));
    assert.equal(res.type, 'InstanceResponse');
    assert.equal(res.body?.['success'], true);
    assert.deepEqual(s.subscribers({ serviceName: 'svc' }), []);
    assert.equal(s.instances({ serviceName: 'svc' }).length, 1);
  });

  it('acks ClientDetectionRequest and stays registered', async () => {
    const s = await server({ timing: { ...FAST_SERVER_TIMING, keepAliveMs: 30 } });
    const c = client(s);
    c.start();
    await c.whenConnected();
    const [id, acked] = await next<[string, boolean]>(s, 'detection');
    assert.equal(id, c.connectionId);
    assert.equal(acked, true);
    assert.equal(s.connections().length, 1);
  });

  it('answers server pushes on the stream with the same requestId', async () => {
    const s = await server();
    const c = client(s);
    const seen: string[] = [];
    c.onServerRequest('NotifySubscriberRequest', (p) => {
      seen.push(p.body?.['requestId'] as string);
      return successBody();
    });
    c.start();
    await c.whenConnected();
    await c.request('SubscribeServiceRequest', { headers: {}, namespace: 'public', serviceName: 'svc', groupName: 'DEFAULT_GROUP', subscribe: true, clusters: '', module: 'naming' });
    const [push] = await next<[NamingPushRecord]>(s, 'push');
    assert.equal(push.acked, true);
    assert.deepEqual(seen, [push.requestId]);
  });

  it('sends HealthCheckRequest after an idle interval and reconnects when it gets 301', async () => {
    const s = await server();
    const { clock, fake } = fakeClock();
    const c = client(s, { clock, timing: { requestTimeoutMs: 1000, healthCheckIntervalMs: 5000, setupAckTimeoutMs: 5000, retryTimes: 3 } });
    c.start();
    await c.whenConnected();
    const first = c.connectionId!;
    const health = next(s, 'request', (type) => type === 'HealthCheckRequest');
    await fake.tickAsync(5000);
    await health;
    // The server forgets the connection but leaves the transport up: the next health check gets 301.
    s.forgetConnection(first);
    const reconnected = next<[string, NacosServerAddress]>(c, 'connected');
    await tickUntil(fake, () => c.connectionId !== undefined && c.connectionId !== first, 500, 'a new connection');
    const [id] = await reconnected;
    assert.notEqual(id, first);
    fake.uninstall();
  });

  it('reconnects when a request is answered with 301', async () => {
    const s = await server();
    const c = client(s);
    c.start();
    await c.whenConnected();
    const first = c.connectionId!;
    s.forgetConnection(first);
    const res = await c.request('InstanceRequest', REGISTER('10.0.0.2'));
    assert.equal(res.body?.['success'], true);
    assert.notEqual(c.connectionId, first);
  });

  it('skips a dead server and connects to the next one in the list', async () => {
    const dead = await server();
    await dead.stop();
    const live = await server();
    const c = client([dead, live]);
    c.start();
    await c.whenConnected();
    assert.equal(c.currentServer?.grpcPort, live.grpcPort);
  });

  it('fails over to the other server when its server stops, and back', async () => {
    const a = await server();
    const b = await server();
    const c = client([a, b]);
    c.start();
    await c.whenConnected();
    assert.equal(c.currentServer?.grpcPort, a.grpcPort);
    const moved = next<[string, NacosServerAddress]>(c, 'connected');
    await a.stop();
    const [, to] = await moved;
    assert.equal(to.grpcPort, b.grpcPort);
    await a.start();
    const back = next<[string, NacosServerAddress]>(c, 'connected');
    await b.stop();
    assert.equal((await back)[1].grpcPort, a.grpcPort);
  });

  it('on ConnectResetRequest acks, then moves to the suggested server when its IP is in the list', async () => {
    const a = await server({ host: '127.0.0.1' });
    const b = await server({ host: '::1' });
    const c = client([a, b]);
    c.start();
    await c.whenConnected();
    assert.equal(c.currentServer?.host, '127.0.0.1');
    const moved = next<[string, NacosServerAddress]>(c, 'connected');
    const acks = await a.resetConnections({ serverIp: '::1', serverPort: b.port });
    assert.equal(acks, 1);
    const [, to] = await moved;
    assert.equal(to.host, '::1');
    await until(() => a.connections().length === 0, 'the old connection to close');
  });

  it('on ConnectResetRequest for an unknown IP moves to the next server', async () => {
    const a = await server();
    const b = await server();
    const c = client([a, b]);
    c.start();
    await c.whenConnected();
    const moved = next<[string, NacosServerAddress]>(c, 'connected');
    await a.resetConnections({ serverIp: '192.0.2.1', serverPort: 8848 });
    assert.equal((await moved)[1].grpcPort, b.grpcPort);
  });

  /**
   * Drives the reconnect loop of §2.7 on a fake clock: after each failed attempt (logged) the
   * only fake timer due is the pause, so `nextAsync` jumps exactly over it and the fake times of
   * the attempts give the pauses, and the logged addresses the server order.
   */
  async function attempts(
    fake: ReturnType<typeof fakeClock>['fake'],
    failures: Array<{ at: number; port: number }>,
    count: number,
  ): Promise<void> {
    while (failures.length < count) {
      const seen = failures.length;
      await until(() => failures.length > seen, `connect attempt ${seen + 1}`);
      // Back-to-back attempts need no timer; a pause is the only fake timer due next.
      if (failures.length < count && fake.countTimers() > 1) await fake.nextAsync();
    }
  }
  function failureLog(failures: Array<{ at: number; port: number }>, clock: { now(): number }) {
    return (_level: string, message: string) => {
      const m = /connect to .*:(\d+) failed/.exec(message);
      if (m) failures.push({ at: clock.now(), port: Number(m[1]) });
    };
  }
  const gaps = (f: Array<{ at: number }>) => f.slice(1).map((x, n) => x.at - f[n]!.at);

  it('after losing its server pauses 100, 100, 200, 200, 300, 300 ms between attempts over two servers (Java RpcClient)', async () => {
    // "Down" = answering ServerCheck with 300 (starting): the attempt fails at once, whereas a
    // closed port costs grpc-js's 250 ms connection delay per attempt.
    const a = await server();
    const dead = await server();
    dead.setStarting(true);
    const { clock, fake } = fakeClock();
    try {
      const failures: Array<{ at: number; port: number }> = [];
      const c = client([a, dead], { clock, log: failureLog(failures, clock), timing: { ...DEFAULT_RPC_TIMING, requestTimeoutMs: 1000, healthCheckIntervalMs: 3_600_000 } });
      c.start();
      await c.whenConnected();
      assert.equal(c.currentServer?.grpcPort, a.grpcPort);
      a.setStarting(true);
      await a.dropAllConnections();
      await attempts(fake, failures, 7);
      // Rotation: the next server first, then alternating.
      assert.deepEqual(failures.map((f) => f.port), [dead, a, dead, a, dead, a, dead].map((s) => s.grpcPort));
      assert.deepEqual(gaps(failures), [100, 100, 200, 200, 300, 300]);
      // Back up: the attempt after the next pause (400 ms: a new turn) connects, to `a`, once.
      let setups = 0;
      a.on('connected', () => setups++);
      a.setStarting(false);
      const reconnected = next<[string, NacosServerAddress]>(c, 'connected');
      const before = fake.now;
      await fake.nextAsync();
      assert.equal(fake.now - before, 400);
      const [, to] = await reconnected;
      assert.equal(to.grpcPort, a.grpcPort);
      assert.equal(setups, 1);
    } finally {
      fake.uninstall();
    }
  });

  /** Gaps between the first `count` connect attempts to one server that answers 300, from start-up. */
  async function startupGaps(retryTimes: number, count: number): Promise<{ gaps: number[]; connected: boolean }> {
    const dead = await server();
    dead.setStarting(true);
    const { clock, fake } = fakeClock();
    try {
      const failures: Array<{ at: number; port: number }> = [];
      const c = client(dead, { clock, log: failureLog(failures, clock), timing: { ...DEFAULT_RPC_TIMING, retryTimes, requestTimeoutMs: 1000, healthCheckIntervalMs: 3_600_000 } });
      c.start();
      await attempts(fake, failures, count);
      return { gaps: gaps(failures), connected: c.connected };
    } finally {
      fake.uninstall();
    }
  }

  it('at start-up tries retryTimes + 1 servers back to back, then pauses 100, 200, 300 ms … per turn (one server)', async () => {
    const run = await startupGaps(2, 8);
    // 3 start-up attempts + the first of the reconnect loop at once, then one turn per attempt.
    assert.deepEqual(run.gaps, [0, 0, 0, 100, 200, 300, 400]);
    assert.equal(run.connected, false);
  });

  it('caps the pause at 5 s (50 turns)', async () => {
    const { gaps: g } = await startupGaps(0, 56);
    assert.equal(g[0], 0);
    assert.deepEqual(g.slice(1, 4), [100, 200, 300]);
    assert.deepEqual(g.slice(48), [4800, 4900, 5000, 5000, 5000, 5000, 5000]);
  });
});
