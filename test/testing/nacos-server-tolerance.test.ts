import assert from 'node:assert/strict';
import type { NacosBody, NacosPayload } from '../../src/sources/nacos/payload-codec';
import type { NacosConnectionInfo, NamingPushRecord } from '../../src/testing/nacos-server';
import { RawPeer, next, serverFixture, until } from '../sources/nacos/nacos-test-kit';

const NAMING = (fields: NacosBody) => ({ headers: {}, namespace: 'public', groupName: 'DEFAULT_GROUP', module: 'naming', ...fields });
const CONFIG = (fields: NacosBody) => ({ headers: {}, dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', module: 'config', ...fields });
const success = (r: NacosPayload) => r.body?.['success'];

describe('§8 check 25 (tolerance), server side: NacosServer against a raw client that sends unknown fields, omits optional ones and sends nulls', () => {
  // Kit timers: long ack timeouts, so the acks these tests send never race a timeout.
  const fx = serverFixture();
  const registered = (labels?: Record<string, string>) => fx.registered(labels);
  /** ServerCheck, stream, then exactly this ConnectionSetupRequest body. */
  async function setupWith(body: NacosBody): Promise<{ peer: RawPeer; info: NacosConnectionInfo }> {
    const p = new RawPeer(fx.srv);
    fx.peers.push(p);
    await p.unary('ServerCheckRequest', { headers: {}, module: 'internal' });
    const connected = next<[NacosConnectionInfo]>(fx.srv, 'connected');
    p.openStream().write({ type: 'ConnectionSetupRequest', body });
    const [info] = await connected;
    return { peer: p, info };
  }

  it('25: answers naming, config and health requests that carry unknown fields (top level, instance, listen contexts)', async () => {
    const p = await registered();
    const future = { futureField: { nested: [1, 'x'] }, anotherOne: null };
    const instance = {
      ip: '10.0.0.1',
      port: 8080,
      weight: 1,
      healthy: true,
      enabled: true,
      ephemeral: true,
      clusterName: 'DEFAULT',
      metadata: {},
      // Derived getters the Java client writes, and a field from the future.
      instanceHeartBeatInterval: 5000,
      instanceHeartBeatTimeOut: 15000,
      ipDeleteTimeout: 30000,
      instanceIdGenerator: 'simple',
      ...future,
    };
    const reg = await p.unary('InstanceRequest', NAMING({ serviceName: 'svc', type: 'registerInstance', instance, ...future }));
    assert.deepEqual([reg.type, success(reg)], ['InstanceResponse', true]);
    assert.equal(fx.srv.instances({ serviceName: 'svc' }).length, 1);
    const sub = await p.unary('SubscribeServiceRequest', NAMING({ serviceName: 'svc', subscribe: true, clusters: '', ...future }));
    assert.equal(((sub.body?.['serviceInfo'] as NacosBody)['hosts'] as unknown[]).length, 1);
    assert.equal(success(await p.unary('HealthCheckRequest', { headers: {}, module: 'internal', ...future })), true);
    assert.equal(success(await p.unary('ConfigPublishRequest', CONFIG({ content: 'a: 1', additionMap: { type: 'yaml', futureKey: 'x' }, ...future }))), true);
    const query = await p.unary('ConfigQueryRequest', CONFIG({ notify: false, tag: null, ...future }));
    assert.deepEqual([success(query), query.body?.['content'], query.body?.['contentType']], [true, 'a: 1', 'yaml']);
    const listen = await p.unary('ConfigBatchListenRequest', {
      headers: {},
      listen: true,
      configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', md5: 'stale', ...future }],
      module: 'config',
      ...future,
    });
    assert.deepEqual(listen.body?.['changedConfigs'], [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '' }]);
  });

  it('25: answers requests without requestId, headers and module (Java omits requestId; Go omits headers and sends requestId "")', async () => {
    const p = await registered();
    const bare = <T extends NacosBody>(b: T) => {
      const { headers: _h, module: _m, ...rest } = b;
      return rest;
    };
    const instance = { ip: '10.0.0.1', port: 8080, clusterName: 'DEFAULT', metadata: {} };
    for (const requestId of [undefined, '']) {
      const extra = requestId === undefined ? {} : { requestId };
      assert.equal(success(await p.unary('HealthCheckRequest', extra)), true);
      assert.equal(success(await p.unary('InstanceRequest', { ...bare(NAMING({ serviceName: 'svc', type: 'registerInstance', instance })), ...extra })), true);
      const sub = await p.unary('SubscribeServiceRequest', { ...bare(NAMING({ serviceName: 'svc', subscribe: true })), ...extra });
      assert.equal(((sub.body?.['serviceInfo'] as NacosBody)['hosts'] as unknown[]).length, 1);
      assert.equal(success(await p.unary('ConfigPublishRequest', { ...bare(CONFIG({ content: `r=${String(requestId)}` })), ...extra })), true);
      assert.equal((await p.unary('ConfigQueryRequest', { ...bare(CONFIG({})), ...extra })).body?.['content'], `r=${String(requestId)}`);
    }
  });

  it('25: a ConfigPublishRequest with null values inside additionMap, a null additionMap or a null casMd5 is stored (type text unless a valid type is given)', async () => {
    const p = await registered({ source: 'sdk', module: 'config' });
    const nulls = { type: null, appName: null, tag: null, betaIps: null, encryptedDataKey: null, src_user: null, config_tags: null, desc: null, use: null, effect: null, schema: null };
    const first = await p.unary('ConfigPublishRequest', CONFIG({ content: 'a: 1', casMd5: null, additionMap: nulls }));
    assert.deepEqual([first.type, success(first)], ['ConfigPublishResponse', true]);
    assert.deepEqual([fx.srv.getConfig({ dataId: 'app.yaml' })?.content, fx.srv.getConfig({ dataId: 'app.yaml' })?.type], ['a: 1', 'text']);
    assert.equal(success(await p.unary('ConfigPublishRequest', CONFIG({ content: 'a: 2', additionMap: { ...nulls, type: 'yaml' } }))), true);
    assert.deepEqual([fx.srv.getConfig({ dataId: 'app.yaml' })?.content, fx.srv.getConfig({ dataId: 'app.yaml' })?.type], ['a: 2', 'yaml']);
    assert.equal(success(await p.unary('ConfigPublishRequest', CONFIG({ content: 'a: 3', additionMap: null, casMd5: null }))), true);
    assert.deepEqual([fx.srv.getConfig({ dataId: 'app.yaml' })?.content, fx.srv.getConfig({ dataId: 'app.yaml' })?.type], ['a: 3', 'text']);
  });

  it('25: a Go-style ConnectionSetupRequest (clientAbilities, no abilityTable, tenant "", no headers) registers without a SetupAck and serves naming requests', async () => {
    const { peer: p, info } = await setupWith({
      clientVersion: 'Nacos-Go-Client:v2.3.5',
      tenant: '',
      labels: { source: 'sdk', module: 'naming' },
      clientAbilities: { remoteAbility: { supportRemoteConnection: true }, configAbility: { supportRemoteMetrics: false }, namingAbility: { supportDeltaPush: false } },
      module: 'internal',
    });
    assert.deepEqual([info.abilityTable, info.tenant, info.clientVersion], [null, '', 'Nacos-Go-Client:v2.3.5']);
    const reg = await p.unary('InstanceRequest', { ...NAMING({ serviceName: 'svc', type: 'registerInstance', instance: { ip: '10.0.0.1', port: 80 } }), requestId: '' });
    assert.equal(success(reg), true);
    assert.deepEqual(p.received.map((m) => m.type), []);
  });

  it('25: a ConnectionSetupRequest with unknown fields, abilityTable null and null label values registers; the null labels are dropped', async () => {
    const { peer: p, info } = await setupWith({
      headers: null,
      clientVersion: null,
      labels: { source: 'sdk', module: 'naming', AppName: null },
      abilityTable: null,
      futureField: { a: 1 },
    });
    assert.deepEqual([info.labels, info.clientVersion, info.abilityTable, info.tenant], [{ source: 'sdk', module: 'naming' }, '', null, undefined]);
    assert.equal(success(await p.unary('InstanceRequest', NAMING({ serviceName: 'svc', type: 'registerInstance', instance: { ip: '10.0.0.1', port: 80 } }))), true);
    assert.deepEqual(p.received.map((m) => m.type), []);
  });

  it('25: a push ack with only its requestId (Java Response defaults resultCode to 200), or with unknown fields and no success field, counts as acked', async () => {
    const p = await registered();
    const acked = next<[NamingPushRecord]>(fx.srv, 'push');
    await p.unary('SubscribeServiceRequest', NAMING({ serviceName: 'svc', subscribe: true, clusters: '' }));
    await until(() => p.received.some((m) => m.type === 'NotifySubscriberRequest'), 'the first push');
    const push = p.received.find((m) => m.type === 'NotifySubscriberRequest')!;
    p.stream!.write({ type: 'NotifySubscriberResponse', body: { requestId: push.body?.['requestId'] } });
    const [record] = await acked;
    assert.deepEqual([record.requestId, record.acked], [push.body?.['requestId'], true]);

    const c = await registered({ source: 'sdk', module: 'config' });
    await c.unary('ConfigBatchListenRequest', { headers: {}, listen: true, configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '', md5: '' }], module: 'config' });
    const notified = next<[string, unknown, boolean]>(fx.srv, 'configNotify');
    fx.srv.publishConfig({ dataId: 'app.yaml', content: 'a: 1' });
    await until(() => c.received.some((m) => m.type === 'ConfigChangeNotifyRequest'), 'the config push');
    const cpush = c.received.find((m) => m.type === 'ConfigChangeNotifyRequest')!;
    c.stream!.write({ type: 'ConfigChangeNotifyResponse', body: { resultCode: 200, errorCode: 0, requestId: cpush.body?.['requestId'], futureField: [1] } });
    assert.equal((await notified)[2], true);
  });

  it('25: an instance without its optional fields gets the Java defaults, null metadata values are dropped, and a query without cluster and healthyOnly returns it', async () => {
    const p = await registered();
    const r = await p.unary('InstanceRequest', NAMING({ serviceName: 'svc', type: 'registerInstance', instance: { ip: '10.0.0.1', port: 80, metadata: { version: 'v1', zone: null } } }));
    assert.equal(success(r), true);
    const [i] = fx.srv.instances({ serviceName: 'svc' });
    assert.deepEqual(
      [i?.weight, i?.healthy, i?.enabled, i?.ephemeral, i?.clusterName, i?.metadata, i?.instanceId],
      [1, true, true, true, 'DEFAULT', { version: 'v1' }, '10.0.0.1#80#DEFAULT#DEFAULT_GROUP@@svc'],
    );
    const q = await p.unary('ServiceQueryRequest', NAMING({ serviceName: 'svc' }));
    assert.deepEqual(((q.body?.['serviceInfo'] as NacosBody)['hosts'] as NacosBody[]).map((h) => h['ip']), ['10.0.0.1']);
  });

  it('25 (Java defaults): a SubscribeServiceRequest without clusters covers every cluster; one without subscribe is an unsubscribe (a Java boolean defaults to false)', async () => {
    fx.srv.registerInstance({ serviceName: 'svc', ip: '10.0.0.1', port: 80, clusterName: 'BJ' });
    fx.srv.registerInstance({ serviceName: 'svc', ip: '10.0.0.2', port: 80, clusterName: 'SH' });
    const p = await registered();
    const sub = await p.unary('SubscribeServiceRequest', NAMING({ serviceName: 'svc', subscribe: true }));
    assert.equal(((sub.body?.['serviceInfo'] as NacosBody)['hosts'] as unknown[]).length, 2);
    assert.equal(fx.srv.subscribers({ serviceName: 'svc' }).length, 1);
    const unsub = await p.unary('SubscribeServiceRequest', NAMING({ serviceName: 'svc' }));
    assert.equal(success(unsub), true);
    assert.equal(((unsub.body?.['serviceInfo'] as NacosBody)['hosts'] as unknown[]).length, 2);
    assert.deepEqual(fx.srv.subscribers({ serviceName: 'svc' }), []);
  });
});
