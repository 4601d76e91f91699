import assert from 'node:assert/strict';
import { ErrorCode, InvalidConfigError, type MeshError } from '../../../src/errors';
import type { Cluster } from '../../../src/model/cluster';
import { allEndpoints } from '../../../src/model/cluster';
import type { MeshSnapshot } from '../../../src/model/mesh-snapshot';
import { NacosSource } from '../../../src/sources/nacos/nacos-source';
import type { NacosSourceOptions } from '../../../src/sources/nacos/nacos-source-options';
import type { NacosServer } from '../../../src/testing/nacos-server';
import { fakeClock, next, startServer, tickUntil, until } from './nacos-test-kit';

const KEY = 'nacos://public/DEFAULT_GROUP/orders';

describe('NacosSource', () => {
  const servers: NacosServer[] = [];
  const sources: NacosSource[] = [];
  afterEach(async () => {
    for (const s of sources.splice(0)) await s.close();
    for (const s of servers.splice(0)) await s.close();
  });
  async function server(options: Parameters<typeof startServer>[0] = {}): Promise<NacosServer> {
    const s = await startServer(options);
    servers.push(s);
    return s;
  }
  function source(options: Partial<NacosSourceOptions> & { servers: NacosSourceOptions['servers'] }): NacosSource {
    const s = new NacosSource({ rulesGroup: false, timing: { requestTimeoutMs: 1000 }, ...options });
    sources.push(s);
    return s;
  }
  function changedUntil(src: NacosSource, test: (s: MeshSnapshot) => boolean): Promise<[MeshSnapshot]> {
    return next<[MeshSnapshot]>(src, 'changed', test);
  }
  const endpointsOf = (snap: MeshSnapshot, cluster = KEY) => allEndpoints(snap.clusters.get(cluster) as Cluster);

  describe('options', () => {
    const bad: Array<[Partial<NacosSourceOptions>, string]> = [
      [{ servers: [] }, 'servers'],
      [{ servers: ['a:99999'] }, 'servers[0]'],
      [{ servers: ['a'], namespace: 'bad ns' }, 'namespace'],
      [{ servers: ['a'], group: 'g/1' }, 'group'],
      [{ servers: ['a'], username: 'u' }, 'password'],
      [{ servers: ['a'], register: { service: 'a@@b', port: 1 } }, 'register.service'],
      [{ servers: ['a'], register: { service: 'a', port: 0 } }, 'register.port'],
      [{ servers: ['a'], register: { service: 'a', port: 1, weight: 0 } }, 'register.weight'],
      [{ servers: ['a'], register: { service: 'a', port: 1, cluster: 'a.b' } }, 'register.cluster'],
    ];
    for (const [options, field] of bad) {
      it(`rejects a bad ${field}`, () => {
        assert.throws(
          () => new NacosSource(options as NacosSourceOptions),
          (e: unknown) => e instanceof InvalidConfigError && e.field === field && e.code === ErrorCode.INVALID_CONFIG,
        );
      });
    }
    it('returns undefined for targets that break the Nacos name rules', () => {
      const s = source({ servers: ['127.0.0.1:1'] });
      assert.equal(s.watch('a/b/c/d'), undefined);
      assert.equal(s.watch('bad ns/g/s'), undefined);
      assert.equal(s.watch('orders'), KEY);
      assert.equal(s.watch('G1/orders'), 'nacos://public/G1/orders');
      assert.equal(s.watch('ns1/G1/orders'), 'nacos://ns1/G1/orders');
    });
  });

  it('turns a subscribed service into a listener and a cluster (weights, health, locality, labels), never synchronously', async () => {
    const srv = await server();
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 8080, weight: 1, metadata: { version: 'v1', zone: 'z1', region: 'r1' } });
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.2', port: 8080, weight: 0.5, healthy: false, clusterName: 'SH' });
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.3', port: 8080, weight: 0 });
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.4', port: 8080, enabled: false });
    const src = source({ servers: [srv.serverEntry] });
    let sync = true;
    src.on('changed', () => assert.equal(sync, false));
    assert.equal(src.watch('orders'), KEY);
    sync = false;
    assert.equal(src.targetStatus(KEY), 'requested');
    const changed = changedUntil(src, (s) => s.listeners.has(KEY));
    await src.start();
    const [snap] = await changed;
    assert.equal(src.synced, true);
    assert.equal(src.targetStatus(KEY), 'exists');
    const eps = endpointsOf(snap).sort((a, b) => a.host.localeCompare(b.host));
    assert.deepEqual(
      eps.map((e) => [e.address, e.weight, e.health, e.locality.region, e.locality.zone, e.locality.subZone]),
      [
        ['10.0.0.1:8080', 100, 'HEALTHY', 'r1', 'z1', 'DEFAULT'],
        ['10.0.0.2:8080', 50, 'UNHEALTHY', '', '', 'SH'],
      ],
    );
    assert.equal(eps[0]!.labels['version'], 'v1');
    assert.equal(eps[0]!.labels['nacos.cluster'], 'DEFAULT');
    const listener = snap.listeners.get(KEY)!;
    const route = listener.routeTable!.virtualHosts[0]!.routes[0]!;
    assert.deepEqual(route.action, { kind: 'cluster', cluster: KEY });
    assert.equal(snap.clusters.get(KEY)!.lbPolicy.name, 'random');
  });

  it('registers itself as an ephemeral instance and deregisters on close()', async () => {
    const srv = await server();
    const src = source({ servers: [srv.serverEntry], register: { service: 'node-http', ip: '127.0.0.1', port: 18080, metadata: { 'preserved.register.source': 'SPRING_CLOUD' } } });
    await src.start();
    await until(() => srv.instances({ serviceName: 'node-http' }).length === 1, 'registration');
    const [inst] = srv.instances({ serviceName: 'node-http' });
    assert.deepEqual(
      [inst!.ip, inst!.port, inst!.weight, inst!.healthy, inst!.enabled, inst!.ephemeral, inst!.clusterName, inst!.metadata['preserved.register.source']],
      ['127.0.0.1', 18080, 1, true, true, true, 'DEFAULT', 'SPRING_CLOUD'],
    );
    const conn = srv.connections().find((c) => c.labels['module'] === 'naming')!;
    assert.equal(conn.labels['source'], 'sdk');
    assert.equal(conn.labels['AppName'], 'sidecarless');
    sources.splice(0);
    const gone = next(srv, 'serviceChanged');
    await src.close();
    await gone;
    assert.equal(srv.instances({ serviceName: 'node-http' }).length, 0);
  });

  it('applies live instance changes pushed by the server', async () => {
    const srv = await server();
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
    const src = source({ servers: [srv.serverEntry] });
    src.watch('orders');
    const first = changedUntil(src, (s) => s.listeners.has(KEY));
    await src.start();
    await first;
    const second = changedUntil(src, (s) => endpointsOf(s).length === 2);
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.2', port: 80 });
    await second;
  });

  it('publishes nothing for a push with the same instances; a change keeps unchanged endpoints and services', async () => {
    const srv = await server();
    for (const ip of ['10.0.0.1', '10.0.0.2']) srv.registerInstance({ serviceName: 'orders', ip, port: 80, metadata: { version: 'v1' } });
    srv.registerInstance({ serviceName: 'users', ip: '10.0.1.1', port: 80 });
    const src = source({ servers: [srv.serverEntry] });
    src.watch('orders');
    src.watch('users');
    const USERS = 'nacos://public/DEFAULT_GROUP/users';
    const first = changedUntil(src, (s) => s.listeners.has(KEY) && s.listeners.has(USERS));
    await src.start();
    const [before] = await first;
    let changes = 0;
    src.on('changed', () => changes++);
    // Re-registering an instance as it was: the server pushes the same list.
    const same = next(srv, 'push', (r: { serviceName: string; acked: boolean }) => r.serviceName === 'orders' && r.acked);
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80, metadata: { version: 'v1' } });
    await same;
    await new Promise((r) => setImmediate(r));
    assert.equal(changes, 0);
    assert.equal(src.snapshot, before);
    // One instance changes: the other keeps its endpoint object, the other service its cluster.
    const changed = changedUntil(src, (s) => endpointsOf(s).some((e) => e.weight === 300));
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80, weight: 3, metadata: { version: 'v1' } });
    const [after] = await changed;
    const kept = endpointsOf(before).find((e) => e.host === '10.0.0.2');
    assert.ok(kept && endpointsOf(after).includes(kept));
    assert.equal(after.clusters.get(USERS), before.clusters.get(USERS));
    assert.equal(after.listeners.get(USERS), before.listeners.get(USERS));
  });

  it('subscribes and registers once at start-up, not once more on the first connect (regression: a doubled push)', async () => {
    const srv = await server();
    srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
    const seen: string[] = [];
    srv.on('request', (type) => seen.push(type));
    const src = source({ servers: [srv.serverEntry], register: { service: 'node-app', ip: '127.0.0.1', port: 9000 } });
    src.watch('orders');
    const first = changedUntil(src, (s) => s.listeners.has(KEY));
    await src.start();
    await first;
    await until(() => srv.instances({ serviceName: 'node-app' }).length === 1, 'registration');
    assert.equal(seen.filter((t) => t === 'SubscribeServiceRequest').length, 1);
    assert.equal(seen.filter((t) => t === 'InstanceRequest').length, 1);
  });

  it('keeps the last instances when a push has none (push-empty protection), and applies it when off', async () => {
    for (const protect of [true, false]) {
      const srv = await server();
      srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
      const src = source({ servers: [srv.serverEntry], pushEmptyProtection: protect });
      src.watch('orders');
      const first = changedUntil(src, (s) => s.listeners.has(KEY));
      await src.start();
      await first;
      const pushed = next(srv, 'push', (r: { hosts: string[] }) => r.hosts.length === 0);
      const emptied = protect ? undefined : changedUntil(src, (s) => endpointsOf(s).length === 0);
      srv.deregisterInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
      await pushed;
      if (emptied) await emptied;
      assert.equal(endpointsOf(src.snapshot).length, protect ? 1 : 0);
      // The server may retry a push whose ack it did not see in time (a loaded machine), so a
      // protected source can count the same empty push more than once.
      const protectedPushes = (src.dump()['targets'] as Array<{ protectedPushes: number }>)[0]!.protectedPushes;
      if (protect) assert.ok(protectedPushes >= 1, `protectedPushes ${protectedPushes}`);
      else assert.equal(protectedPushes, 0);
    }
  });

  it('fails over to the other server: re-registers, re-subscribes, and keeps serving meanwhile', async () => {
    const a = await server();
    const b = await server();
    for (const s of [a, b]) s.registerInstance({ serviceName: 'orders', ip: '10.0.0.9', port: 80 });
    const src = source({ servers: [a.serverEntry, b.serverEntry], register: { service: 'node-app', ip: '127.0.0.1', port: 9000 } });
    src.watch('orders');
    const first = changedUntil(src, (s) => s.listeners.has(KEY));
    await src.start();
    await first;
    await until(() => a.instances({ serviceName: 'node-app' }).length + b.instances({ serviceName: 'node-app' }).length === 1, 'registration');
    const [live, dead] = a.instances({ serviceName: 'node-app' }).length === 1 ? [b, a] : [a, b];
    const subscribed = next(live, 'request', (type: string) => type === 'SubscribeServiceRequest');
    await dead.stop();
    // The snapshot never goes away while the source moves.
    assert.equal(endpointsOf(src.snapshot).length, 1);
    await subscribed;
    await until(() => live.instances({ serviceName: 'node-app' }).length === 1, 're-registration on the other server');
    await until(() => live.subscribers({ serviceName: 'orders' }).length === 1, 're-subscription');
    assert.equal(endpointsOf(src.snapshot).length, 1);
    const more = changedUntil(src, (s) => endpointsOf(s).length === 2);
    live.registerInstance({ serviceName: 'orders', ip: '10.0.0.10', port: 80 });
    await more;
  });

  it('follows ConnectReset to another server and redoes its state there', async () => {
    const a = await server({ host: '127.0.0.1' });
    const b = await server({ host: '::1' });
    const src = source({ servers: [a.serverEntry, b.serverEntry], register: { service: 'node-app', ip: '127.0.0.1', port: 9000 } });
    src.watch('orders');
    await src.start();
    await until(() => a.instances({ serviceName: 'node-app' }).length + b.instances({ serviceName: 'node-app' }).length === 1, 'registration');
    const [from, to] = a.instances({ serviceName: 'node-app' }).length === 1 ? [a, b] : [b, a];
    await from.resetConnections({ serverIp: to.host, serverPort: to.port });
    await until(() => to.instances({ serviceName: 'node-app' }).length === 1 && to.subscribers({ serviceName: 'orders' }).length === 1, 'redo on the new server');
    await until(() => from.instances({ serviceName: 'node-app' }).length === 0, 'old registration gone');
  });

  it('logs in, sends the token on every request, refreshes it before expiry, and re-logs-in after a 403', async () => {
    const { clock, fake } = fakeClock();
    try {
      const srv = await server({ auth: { users: { nacos: 's3cret' }, tokenTtlSeconds: 100 }, clock, timing: { ejectorIntervalMs: 3_600_000 } });
      srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
      const tokens: Array<string | undefined> = [];
      srv.on('request', (type: string, _id: string | undefined, headers: Record<string, string>) => {
        if (type !== 'HealthCheckRequest') tokens.push(headers['accesstoken']);
      });
      const src = source({ servers: [srv.serverEntry], username: 'nacos', password: 's3cret', clock, timing: { requestTimeoutMs: 1000, healthCheckIntervalMs: 3_600_000 } });
      src.watch('orders');
      const first = changedUntil(src, (s) => s.listeners.has(KEY));
      await src.start();
      await first;
      assert.ok(tokens.length > 0 && tokens.every((t) => typeof t === 'string' && t.length > 0));
      assert.equal(srv.logins, 1);
      // 90 % of the TTL: a new token before the old one expires.
      await tickUntil(fake, () => srv.logins === 2, 10_000, 'refresh');
      const dump = JSON.stringify(src.dump());
      assert.ok(!dump.includes('s3cret') && !tokens.some((t) => t && dump.includes(t)));
      // Tokens revoked server-side: the next request gets 403, the source logs in again and retries.
      srv.revokeTokens();
      const more = changedUntil(src, (s) => endpointsOf(s).length === 2);
      srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.2', port: 80 });
      await tickUntil(fake, () => endpointsOf(src.snapshot).length === 2, 100, 'push');
      await more;
      src.watch('other');
      await tickUntil(fake, () => srv.subscribers({ serviceName: 'other' }).length === 1, 100, 'subscribe after 403');
      assert.equal(srv.logins, 3);
    } finally {
      fake.uninstall();
    }
  });

  it('reports a login failure as MESH_ERR_AUTH_FAILED without the password', async () => {
    const srv = await server({ auth: { users: { nacos: 'right' } } });
    const src = source({ servers: [srv.serverEntry], username: 'nacos', password: 'wrong-pw' });
    const failed = next<[MeshError]>(src, 'error');
    await src.start();
    const [err] = await failed;
    assert.equal(err.code, ErrorCode.AUTH_FAILED);
    assert.ok(!err.message.includes('wrong-pw'));
  });

  describe('config', () => {
    it('gets, publishes with CAS, listens to changes and removes', async () => {
      const srv = await server();
      const src = source({ servers: [srv.serverEntry] });
      await src.start();
      const cfg = src.config;
      assert.equal(await cfg.get('app.yaml', 'DEFAULT_GROUP'), undefined);
      assert.equal(await cfg.publish('app.yaml', 'DEFAULT_GROUP', 'a: 1\n', '', { type: 'yaml' }), true);
      const got = await cfg.get('app.yaml', 'DEFAULT_GROUP');
      assert.equal(got?.content, 'a: 1\n');
      assert.equal(got?.contentType, 'yaml');
      assert.equal(await cfg.publish('app.yaml', 'DEFAULT_GROUP', 'a: 2\n', '', { casMd5: 'wrong' }), false);
      const seen: Array<string | undefined> = [];
      await cfg.listen('app.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(c));
      assert.deepEqual(seen, ['a: 1\n']);
      const queries: Array<string | undefined> = [];
      srv.on('request', (type: string, _id: string | undefined, headers: Record<string, string>) => {
        if (type === 'ConfigQueryRequest') queries.push(headers['notify']);
      });
      const notified = next(srv, 'configNotify');
      srv.publishConfig({ dataId: 'app.yaml', content: 'a: 3\n' });
      assert.equal((await notified)[2], true);
      await until(() => seen.length === 2, 'change');
      assert.equal(seen[1], 'a: 3\n');
      // §8 check 19: the re-query after a notification carries header notify=true.
      assert.deepEqual(queries, ['true']);
      await cfg.remove('app.yaml', 'DEFAULT_GROUP');
      await until(() => seen.length === 3, 'removal');
      assert.equal(seen[2], undefined);
    });
    it('listens once to a config listened to before the connection is up (regression: a doubled ConfigBatchListenRequest at start-up)', async () => {
      const srv = await server();
      const listens: string[] = [];
      srv.on('request', (type: string) => {
        if (type === 'ConfigBatchListenRequest') listens.push(type);
      });
      const src = source({ servers: [srv.serverEntry] });
      const seen: Array<string | undefined> = [];
      // `config` connects in the background: this listen is made while it is not connected yet.
      await src.config.listen('app.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(c));
      assert.deepEqual(seen, [undefined]);
      assert.equal(srv.configListeners({ dataId: 'app.yaml' }).length, 1);
      // A query follows every listen: once it is answered, a second listen would have been handled too.
      await src.config.get('app.yaml', 'DEFAULT_GROUP');
      assert.equal(listens.length, 1);
    });
    it('re-listens with current md5s after a reconnect and gets later changes', async () => {
      const srv = await server();
      srv.publishConfig({ dataId: 'app.yaml', content: 'v: 1' });
      const src = source({ servers: [srv.serverEntry] });
      await src.start();
      const seen: Array<string | undefined> = [];
      await src.config.listen('app.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(c));
      await srv.dropAllConnections();
      srv.publishConfig({ dataId: 'app.yaml', content: 'v: 2' });
      await until(() => srv.configListeners({ dataId: 'app.yaml' }).length === 1, 're-listen');
      await until(() => seen.at(-1) === 'v: 2', 'the change made while disconnected');
      srv.publishConfig({ dataId: 'app.yaml', content: 'v: 3' });
      await until(() => seen.at(-1) === 'v: 3', 'a later change');
      assert.deepEqual(seen, ['v: 1', 'v: 2', 'v: 3']);
    });
  });
});
