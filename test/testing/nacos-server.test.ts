import assert from 'node:assert/strict';
import type { NacosPayload } from '../../src/sources/nacos/payload-codec';
import { NACOS_SERVER_TIMING, NacosServer, type NacosConnectionInfo, type NamingPushRecord } from '../../src/testing/nacos-server';
import { RawPeer, SILENT_PEER_TIMING, connectPeer, fakeClock, next, startServer, until } from '../sources/nacos/nacos-test-kit';

const NAMING = (fields: Record<string, unknown>) => ({ headers: {}, namespace: 'public', groupName: 'DEFAULT_GROUP', module: 'naming', ...fields });
const INSTANCE = (ip: string, extra: Record<string, unknown> = {}) => ({ ip, port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {}, ...extra });
const REGISTER = (service: string, ip: string, extra: Record<string, unknown> = {}) =>
  NAMING({ serviceName: service, type: 'registerInstance', instance: INSTANCE(ip, extra) });
const SUBSCRIBE = (service: string, subscribe = true) => NAMING({ serviceName: service, subscribe, clusters: '' });

describe('NacosServer (nacos-protocol §8 conformance, server side)', () => {
  let srv: NacosServer;
  const peers: RawPeer[] = [];
  beforeEach(async () => {
    // Raw peers leave naming pushes and detections unanswered: those expire fast. Config pushes
    // (acked in 19/20/21) keep the kit's long ack timeout.
    srv = await startServer({ timing: SILENT_PEER_TIMING });
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await srv.close();
  });
  function peer(server = srv): RawPeer {
    const p = new RawPeer(server);
    peers.push(p);
    return p;
  }
  async function registered(p: RawPeer, labels?: Record<string, string>, abilityTable: Record<string, boolean> | null = {}): Promise<string> {
    const connected = next<[NacosConnectionInfo]>(srv, 'connected');
    const id = await p.setup(labels, abilityTable);
    await connected;
    return id;
  }
  const success = (r: NacosPayload) => r.body?.['success'];

  it('2: answers ServerCheck before setup with connectionId and supportAbilityNegotiation', async () => {
    const r = await peer().unary('ServerCheckRequest', { headers: {}, module: 'internal' });
    assert.equal(r.type, 'ServerCheckResponse');
    assert.match(r.body?.['connectionId'] as string, /^\d+_127\.0\.0\.1_\d+$/);
    assert.deepEqual([r.body?.['supportAbilityNegotiation'], r.body?.['success'], r.body?.['resultCode'], r.body?.['errorCode']], [true, true, 200, 0]);
  });

  it('3: any other request before setup gets ErrorResponse 500/301', async () => {
    const p = peer();
    await p.unary('ServerCheckRequest', { headers: {}, module: 'internal' });
    for (const [type, body] of [['HealthCheckRequest', { headers: {}, module: 'internal' }], ['InstanceRequest', REGISTER('svc', '10.0.0.1')]] as const) {
      const r = await p.unary(type, body);
      assert.equal(r.type, 'ErrorResponse');
      assert.deepEqual([r.body?.['resultCode'], r.body?.['errorCode'], r.body?.['success']], [500, 301, false]);
    }
  });

  it('4: ignores a business request sent on the bi-stream (neither executed nor answered)', async () => {
    const p = peer();
    await registered(p);
    p.stream!.write({ type: 'InstanceRequest', body: { ...REGISTER('svc', '10.0.0.1'), requestId: '9' } });
    // A unary request on the same transport is answered after the stream write was read.
    const hc = await p.unary('HealthCheckRequest', { headers: {}, module: 'internal' });
    assert.equal(success(hc), true);
    assert.equal(srv.instances({ serviceName: 'svc' }).length, 0);
    assert.equal(p.received.filter((m) => m.type !== 'SetupAckRequest').length, 0);
  });

  it('5: a unary request from another HTTP/2 connection than the setup gets 301', async () => {
    await registered(peer());
    const other = peer();
    const r = await other.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    assert.equal(r.body?.['errorCode'], 301);
  });

  it('6: sends SetupAck (no requestId) only when the setup carried an abilityTable', async () => {
    const withTable = peer();
    await registered(withTable, undefined, {});
    await until(() => withTable.received.length === 1, 'SetupAck');
    assert.equal(withTable.received[0]!.type, 'SetupAckRequest');
    assert.deepEqual(withTable.received[0]!.body?.['abilityTable'], { supportPersistentInstanceByGrpc: true });
    assert.equal(withTable.received[0]!.body?.['requestId'], undefined);
    const without = peer();
    await registered(without, undefined, null);
    assert.equal(success(await without.unary('HealthCheckRequest', { headers: {}, module: 'internal' })), true);
    assert.equal(without.received.length, 0);
  });

  it('7/8: unknown type → 302; every response has resultCode, errorCode and success', async () => {
    const p = peer();
    await registered(p);
    const r = await p.unary('NoSuchRequest', { headers: {}, module: 'internal' });
    assert.deepEqual([r.type, r.body?.['resultCode'], r.body?.['errorCode'], r.body?.['success']], ['ErrorResponse', 500, 302, false]);
  });

  it('9: retries an unacked naming push until the client acks it', async () => {
    const p = peer();
    await registered(p);
    await p.unary('SubscribeServiceRequest', SUBSCRIBE('svc'));
    const [first] = await next<[NamingPushRecord]>(srv, 'push');
    assert.equal(first.acked, false);
    // The server gave up waiting; under load the peer may read the push only now.
    await until(() => p.received.some((m) => m.type === 'NotifySubscriberRequest'), 'the first push');
    const push = p.received.find((m) => m.type === 'NotifySubscriberRequest')!;
    assert.equal(push.body?.['requestId'], first.requestId);
    const acked = next<[NamingPushRecord]>(srv, 'push', (r) => r.acked);
    // Ack every retry: under load an ack can arrive after its 300 ms timeout and draw one more.
    let retries = 0;
    p.stream!.on('data', (m: NacosPayload) => {
      if (m.type !== 'NotifySubscriberRequest' || m.body?.['requestId'] === first.requestId) return;
      retries++;
      p.ack(m);
    });
    assert.notEqual((await acked)[0].requestId, first.requestId);
    assert.ok(retries >= 1);
  });

  it('10: probes a silent connection with ClientDetection and removes it when it does not ack', async () => {
    await srv.close();
    srv = await startServer({ timing: { ...SILENT_PEER_TIMING, keepAliveMs: 20 } });
    const silent = peer();
    await registered(silent);
    assert.equal(success(await silent.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'))), true);
    const [id, acked] = await next<[string, boolean]>(srv, 'detection');
    assert.equal(acked, false);
    await until(() => srv.connections().length === 0, 'ejection');
    assert.equal(srv.instances({ serviceName: 'svc' }).length, 0);
    assert.ok(id);
  });

  it('13: closing a connection removes its instances and pushes the new list to subscribers', async () => {
    const provider = peer();
    await registered(provider);
    await provider.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    const consumer = peer();
    await registered(consumer);
    await consumer.unary('SubscribeServiceRequest', SUBSCRIBE('svc'));
    const emptied = next<[NamingPushRecord]>(srv, 'push', (r) => r.hosts.length === 0);
    provider.close();
    await emptied;
    assert.equal(srv.instances({ serviceName: 'svc' }).length, 0);
  });

  it('14: one publication per service per connection; deregister ignores ip/port; batch replaces the set', async () => {
    const p = peer();
    await registered(p);
    await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.2'));
    assert.deepEqual(srv.instances({ serviceName: 'svc' }).map((i) => i.ip), ['10.0.0.2']);
    await p.unary('InstanceRequest', NAMING({ serviceName: 'svc', type: 'deregisterInstance', instance: INSTANCE('1.2.3.4') }));
    assert.equal(srv.instances({ serviceName: 'svc' }).length, 0);
    const r = await p.unary('BatchInstanceRequest', NAMING({ serviceName: 'svc', type: 'batchRegisterInstance', instances: [INSTANCE('10.0.0.3'), INSTANCE('10.0.0.4')] }));
    assert.equal(r.type, 'BatchInstanceResponse');
    assert.deepEqual(srv.instances({ serviceName: 'svc' }).map((i) => i.ip), ['10.0.0.3', '10.0.0.4']);
  });

  it('15: naming requests on a connection whose module is not naming fail with -401', async () => {
    const p = peer();
    await registered(p, { source: 'sdk', module: 'config' });
    const r = await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    assert.deepEqual([r.type, r.body?.['resultCode'], r.body?.['errorCode']], ['ErrorResponse', -401, -401]);
  });

  it('16/17: subscribe answers at once and pushes once; ServiceInfo encoding and filters', async () => {
    srv.registerInstance({ serviceName: 'svc', ip: '10.0.0.1', port: 80, clusterName: 'BJ' });
    srv.registerInstance({ serviceName: 'svc', ip: '10.0.0.2', port: 80, enabled: false });
    const p = peer();
    await registered(p);
    const pushed = next<[NamingPushRecord]>(srv, 'push');
    const r = await p.unary('SubscribeServiceRequest', SUBSCRIBE('svc'));
    const info = r.body?.['serviceInfo'] as Record<string, unknown>;
    assert.deepEqual([info['name'], info['groupName']], ['svc', 'DEFAULT_GROUP']);
    const hosts = info['hosts'] as Array<Record<string, unknown>>;
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0]!['serviceName'], 'DEFAULT_GROUP@@svc');
    assert.equal(hosts[0]!['instanceId'], '10.0.0.1#80#BJ#DEFAULT_GROUP@@svc');
    await pushed;
    const q = await p.unary('ServiceQueryRequest', NAMING({ serviceName: 'svc', cluster: 'SH', healthyOnly: false }));
    assert.equal(q.type, 'QueryServiceResponse');
    assert.equal(((q.body?.['serviceInfo'] as Record<string, unknown>)['hosts'] as unknown[]).length, 0);
  });

  it('19/20/21: config listen by md5, notify on publish, not found → 300, CAS mismatch → 500', async () => {
    const p = peer();
    await registered(p, { source: 'sdk', module: 'config' });
    const CONFIG = { headers: {}, dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', module: 'config' };
    const missing = await p.unary('ConfigQueryRequest', CONFIG);
    assert.deepEqual([missing.type, missing.body?.['resultCode'], missing.body?.['errorCode']], ['ConfigQueryResponse', 500, 300]);
    const listen = (md5: string) =>
      p.unary('ConfigBatchListenRequest', { headers: {}, listen: true, configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', md5 }], module: 'config' });
    assert.deepEqual((await listen('')).body?.['changedConfigs'], []);
    const notified = next<[string, unknown, boolean]>(srv, 'configNotify');
    srv.publishConfig({ dataId: 'app.yaml', content: 'a: 1' });
    await until(() => p.received.some((m) => m.type === 'ConfigChangeNotifyRequest'), 'notify');
    p.ack(p.received.find((m) => m.type === 'ConfigChangeNotifyRequest')!);
    assert.equal((await notified)[2], true);
    assert.equal(((await listen('stale')).body?.['changedConfigs'] as unknown[]).length, 1);
    const md5 = srv.getConfig({ dataId: 'app.yaml' })!.md5;
    assert.deepEqual((await listen(md5)).body?.['changedConfigs'], []);
    const cas = await p.unary('ConfigPublishRequest', { ...CONFIG, content: 'a: 2', casMd5: 'nope' });
    assert.deepEqual([cas.type, cas.body?.['errorCode'], cas.body?.['success']], ['ConfigPublishResponse', 500, false]);
    assert.equal(srv.getConfig({ dataId: 'app.yaml' })!.content, 'a: 1');
    // 23: "", "public" and absent are the same namespace for query.
    for (const tenant of ['public', undefined]) assert.equal(success(await p.unary('ConfigQueryRequest', { ...CONFIG, tenant })), true);
  });

  it('22/24: with auth, business requests need Metadata.headers.accessToken (any case) and get 403 in their own type', async () => {
    await srv.close();
    srv = await startServer({ auth: { users: { nacos: 'pw' } } });
    const p = peer();
    await registered(p);
    const hc = await p.unary('HealthCheckRequest', { headers: {}, module: 'internal' });
    assert.equal(success(hc), true);
    const denied = await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    assert.deepEqual([denied.type, denied.body?.['errorCode']], ['InstanceResponse', 403]);
    const bad = await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'), { accessToken: 'forged' });
    assert.equal(bad.body?.['errorCode'], 403);
    const login = await fetch(`http://${srv.host}:${srv.port}/nacos/v1/auth/users/login?username=nacos`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'password=pw',
    });
    const { accessToken, tokenTtl } = (await login.json()) as { accessToken: string; tokenTtl: number };
    assert.equal(tokenTtl, 18_000);
    assert.equal(success(await p.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'), { AccessToken: accessToken })), true);
    // Nacos 2.5 maps the login under /v1/auth as well as /v1/auth/users.
    const short = await fetch(`http://${srv.host}:${srv.port}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: 'nacos', password: 'pw' }) });
    assert.equal(short.status, 200);
    const wrong = await fetch(`http://${srv.host}:${srv.port}/nacos/v1/auth/users/login`, { method: 'POST', body: new URLSearchParams({ username: 'nacos', password: 'x' }) });
    assert.equal(wrong.status, 403);
  });

  it('answers 300 while starting and 400 for parameter violations', async () => {
    const p = peer();
    await registered(p);
    const bad = await p.unary('InstanceRequest', REGISTER('bad@@name', '10.0.0.1'));
    assert.deepEqual([bad.type, bad.body?.['errorCode']], ['InstanceResponse', 400]);
    srv.setStarting(true);
    const starting = await p.unary('ServerCheckRequest', { headers: {}, module: 'internal' });
    assert.deepEqual([starting.type, starting.body?.['errorCode']], ['ErrorResponse', 300]);
  });

  it('binds gRPC at port + 1000 when asked, so a plain host:port reaches it', async () => {
    const offset = await startServer({ useGrpcPortOffset: true });
    try {
      assert.equal(offset.grpcPort, offset.port + 1000);
      assert.equal(offset.address, `127.0.0.1:${offset.port}`);
    } finally {
      await offset.close();
    }
  });

  it('stop() and start() reuse the same ports; dropAllConnections() resets every transport', async () => {
    const { port, grpcPort } = srv;
    const p = peer();
    await registered(p);
    const dropped = next(srv, 'disconnected');
    await srv.dropAllConnections();
    await dropped;
    assert.equal(srv.connections().length, 0);
    await srv.stop();
    await srv.start();
    assert.deepEqual([srv.port, srv.grpcPort], [port, grpcPort]);
    await registered(peer());
  });
});

describe('NacosServer push timers (§8 checks 9 and 13 on a fake clock, Nacos 2.5.1 defaults)', () => {
  let srv: NacosServer;
  let fake: ReturnType<typeof fakeClock>['fake'];
  const peers: RawPeer[] = [];
  beforeEach(async () => {
    const f = fakeClock();
    fake = f.fake;
    // Only the ejector is moved out of the way; every push timer keeps its Nacos default.
    srv = new NacosServer({ clock: f.clock, timing: { ejectorIntervalMs: 2_000_000_000 } });
    await srv.start();
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await srv.close();
    fake.uninstall();
  });
  const registered = (labels: Record<string, string>): Promise<RawPeer> => connectPeer(srv, peers, labels);
  /** Fake times at which `type` pushes reached the peer (the fake clock stands still meanwhile). */
  function arrivals(p: RawPeer, type: string): Array<{ at: number; push: NacosPayload }> {
    const out: Array<{ at: number; push: NacosPayload }> = [];
    p.stream!.on('data', (m: NacosPayload) => {
      if (m.type === type) out.push({ at: fake.now, push: m });
    });
    return out;
  }
  const gaps = (a: Array<{ at: number }>) => a.slice(1).map((x, n) => x.at - a[n]!.at);

  it('9: retries an unacked ConfigChangeNotifyRequest after the 3 s ack timeout + 2 s, 4 s, … and drops the connection after 50 tries', async () => {
    assert.equal(NACOS_SERVER_TIMING.configPushMaxRetries, 50);
    const p = await registered({ source: 'sdk', module: 'config' });
    const got = arrivals(p, 'ConfigChangeNotifyRequest');
    await p.unary('ConfigBatchListenRequest', { headers: {}, listen: true, configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', md5: '' }], module: 'config' });
    const outcomes: boolean[] = [];
    srv.on('configNotify', (_id, _key, acked) => outcomes.push(acked));
    const dropped = next<[string, string]>(srv, 'disconnected');
    srv.publishConfig({ dataId: 'app.yaml', content: 'a: 1' });
    for (let n = 1; n <= 50; n++) {
      await until(() => got.length === n, `try ${n}`);
      await fake.nextAsync(); // the ack timeout
      if (n < 50) await fake.nextAsync(); // the retry pause
    }
    const [, reason] = await dropped;
    assert.match(reason, /50/);
    assert.deepEqual(gaps(got), Array.from({ length: 49 }, (_, k) => 3000 + 2000 * (k + 1)));
    assert.equal(new Set(got.map((g) => g.push.body?.['requestId'])).size, 50);
    assert.deepEqual(got[0]!.push.body && { ...got[0]!.push.body, requestId: undefined }, { headers: {}, dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', module: 'config', requestId: undefined });
    assert.equal(outcomes.length, 50);
    assert.ok(outcomes.every((a) => !a));
    assert.deepEqual(srv.connections(), []);
    assert.deepEqual(srv.configListeners({ dataId: 'app.yaml' }), []);
  });

  it('9: an ack (same requestId) on a later try stops the config retries and keeps the connection', async () => {
    const p = await registered({ source: 'sdk', module: 'config' });
    const got = arrivals(p, 'ConfigChangeNotifyRequest');
    await p.unary('ConfigBatchListenRequest', { headers: {}, listen: true, configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', md5: '' }], module: 'config' });
    srv.publishConfig({ dataId: 'app.yaml', content: 'a: 1' });
    await until(() => got.length === 1, 'first try');
    await fake.nextAsync();
    await fake.nextAsync();
    await until(() => got.length === 2, 'second try');
    // An ack for the stale first requestId matches nothing; the current one counts.
    p.ack(got[0]!.push);
    const acked = next<[string, unknown, boolean]>(srv, 'configNotify');
    p.ack(got[1]!.push);
    assert.equal((await acked)[2], true);
    assert.equal(fake.countTimers(), 1); // the ejector only: no retry pending
    assert.equal(srv.connections().length, 1);
  });

  it('9/13: pushes a naming change after the 500 ms merge delay, retries an unacked push after 5 s + 1 s, and stops once acked', async () => {
    const provider = await registered({ source: 'sdk', module: 'naming' });
    await provider.unary('InstanceRequest', REGISTER('svc', '10.0.0.1'));
    await fake.nextAsync(); // the registration's change push, to nobody yet
    const consumer = await registered({ source: 'sdk', module: 'naming' });
    const got = arrivals(consumer, 'NotifySubscriberRequest');
    await consumer.unary('SubscribeServiceRequest', SUBSCRIBE('svc'));
    const subscribedAt = fake.now;
    // The first subscription's own push, 500 ms later; never acked here.
    await fake.nextAsync();
    await until(() => got.length === 1, 'first push');
    assert.equal(got[0]!.at - subscribedAt, 500);
    await fake.nextAsync(); // 5 s ack timeout
    await fake.nextAsync(); // 1 s retry delay
    await until(() => got.length === 2, 'retry');
    assert.equal(got[1]!.at - got[0]!.at, 6000);
    assert.notEqual(got[1]!.push.body?.['requestId'], got[0]!.push.body?.['requestId']);
    const acked = next<[NamingPushRecord]>(srv, 'push', (r) => r.acked);
    consumer.ack(got[1]!.push);
    await acked;
    assert.equal(fake.countTimers(), 1);
    // 13: the provider's TCP connection closes; two changes merge into one push 500 ms later.
    const closedAt = fake.now;
    provider.close();
    await until(() => srv.instances({ serviceName: 'svc' }).length === 0, 'instance removal');
    srv.registerInstance({ serviceName: 'svc', ip: '10.0.0.9', port: 80 });
    await fake.nextAsync();
    await until(() => got.length === 3, 'change push');
    assert.equal(got[2]!.at - closedAt, 500);
    const hosts = ((got[2]!.push.body?.['serviceInfo'] as Record<string, unknown>)['hosts'] as Array<Record<string, unknown>>).map((h) => h['ip']);
    assert.deepEqual(hosts, ['10.0.0.9']);
    consumer.ack(got[2]!.push);
  });
});
