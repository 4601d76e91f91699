import assert from 'node:assert/strict';
import type { NacosBody, NacosPayload } from '../../src/sources/nacos/payload-codec';
import { type RawPeer, serverFixture, until } from '../sources/nacos/nacos-test-kit';

/** A config request body; `tenant: ABSENT` leaves the field out. */
const ABSENT = Symbol('absent');
type Tenant = string | null | typeof ABSENT;
const CONFIG = (tenant: Tenant, fields: NacosBody = {}): NacosBody => ({
  headers: {},
  dataId: 'app.yaml',
  group: 'DEFAULT_GROUP',
  ...(tenant === ABSENT ? {} : { tenant }),
  module: 'config',
  ...fields,
});
const LISTEN = (tenant: Tenant, md5 = '') => ({
  headers: {},
  listen: true,
  configListenContexts: [{ dataId: 'app.yaml', group: 'DEFAULT_GROUP', ...(tenant === ABSENT ? {} : { tenant }), md5 }],
  module: 'config',
});
const name = (t: Tenant) => (t === ABSENT ? 'absent' : JSON.stringify(t));
const DEFAULT_TENANTS: Tenant[] = ['', 'public', null, ABSENT];

const INSTANCE = { ip: '10.0.0.1', port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} };
/** A naming request body; `namespace: ABSENT` leaves the field out. */
const NAMING = (namespace: string | typeof ABSENT, fields: NacosBody): NacosBody => ({
  headers: {},
  ...(namespace === ABSENT ? {} : { namespace }),
  serviceName: 'svc',
  groupName: 'DEFAULT_GROUP',
  module: 'naming',
  ...fields,
});
const hostsOf = (r: NacosPayload) => ((r.body?.['serviceInfo'] as NacosBody)['hosts'] as NacosBody[]).map((h) => h['ip']);

describe('§8 check 23 (namespace defaults), server side: NacosServer against raw clients (checked against alibaba/nacos 2.5.1)', () => {
  const fx = serverFixture();
  const registered = (module: 'naming' | 'config') => fx.registered({ source: 'sdk', module });

  describe('config tenant', () => {
    it('23: config tenant "", "public", null and absent address the same default namespace for publish, query and remove', async () => {
      const p = await registered('config');
      for (const written of DEFAULT_TENANTS) {
        const content = `written with ${name(written)}`;
        const pub = await p.unary('ConfigPublishRequest', CONFIG(written, { content }));
        assert.equal(pub.body?.['success'], true, `publish with ${name(written)}`);
        for (const read of DEFAULT_TENANTS) {
          const q = await p.unary('ConfigQueryRequest', CONFIG(read));
          assert.deepEqual([q.body?.['success'], q.body?.['content']], [true, content], `published with ${name(written)}, read with ${name(read)}`);
        }
        assert.equal(fx.srv.getConfig({ dataId: 'app.yaml' })?.tenant, '');
      }
      for (const removedWith of DEFAULT_TENANTS) {
        await p.unary('ConfigPublishRequest', CONFIG('', { content: 'again' }));
        assert.equal((await p.unary('ConfigRemoveRequest', CONFIG(removedWith))).body?.['success'], true);
        for (const read of DEFAULT_TENANTS) {
          const q = await p.unary('ConfigQueryRequest', CONFIG(read));
          assert.deepEqual([q.body?.['resultCode'], q.body?.['errorCode']], [500, 300], `removed with ${name(removedWith)}, read with ${name(read)}`);
        }
      }
    });

    it('23: "PUBLIC", "Null" and blank tenants are the default namespace too, other tenants are trimmed (NamespaceUtil.processNamespaceParameter)', async () => {
      const p = await registered('config');
      for (const tenant of ['PUBLIC', 'Public', 'NULL', 'Null', 'null', ' ', '\t']) {
        await p.unary('ConfigPublishRequest', CONFIG(tenant, { content: `via ${JSON.stringify(tenant)}` }));
        assert.equal((await p.unary('ConfigQueryRequest', CONFIG(''))).body?.['content'], `via ${JSON.stringify(tenant)}`, `tenant ${JSON.stringify(tenant)}`);
      }
      await p.unary('ConfigPublishRequest', CONFIG(' dev ', { content: 'dev' }));
      assert.equal((await p.unary('ConfigQueryRequest', CONFIG('dev'))).body?.['content'], 'dev');
      assert.equal((await p.unary('ConfigQueryRequest', CONFIG(''))).body?.['content'], `via "\\t"`);
      // The server compares before trimming: " public " is a namespace called "public".
      await p.unary('ConfigPublishRequest', CONFIG(' public ', { content: 'padded' }));
      assert.equal((await p.unary('ConfigQueryRequest', CONFIG(''))).body?.['content'], `via "\\t"`);
    });

    it('23 (§9.2): listens with tenant "", null or absent are notified of a publish with tenant "public"; a listen with tenant "public" never matches the default namespace', async () => {
      const listeners = new Map<Tenant, RawPeer>();
      for (const t of DEFAULT_TENANTS) {
        const p = await registered('config');
        const r = await p.unary('ConfigBatchListenRequest', LISTEN(t));
        assert.deepEqual(r.body?.['changedConfigs'], [], `listen with ${name(t)}`);
        listeners.set(t, p);
      }
      assert.equal(fx.srv.configListeners({ dataId: 'app.yaml', tenant: '' }).length, 3);
      assert.equal(fx.srv.configListeners({ dataId: 'app.yaml', tenant: 'public' }).length, 1);
      const publisher = await registered('config');
      const pub = await publisher.unary('ConfigPublishRequest', CONFIG('public', { content: 'a: 1' }));
      assert.equal(pub.body?.['success'], true);
      for (const t of ['', null, ABSENT] as Tenant[]) {
        const p = listeners.get(t)!;
        await until(() => p.received.some((m) => m.type === 'ConfigChangeNotifyRequest'), `the notify of the listen with ${name(t)}`);
        const notify = p.received.find((m) => m.type === 'ConfigChangeNotifyRequest')!;
        assert.equal(notify.body?.['tenant'], '');
        p.ack(notify);
      }
      const publicListener = listeners.get('public')!;
      // Pushes are written before the publish is answered; a round trip on the same transport follows them.
      assert.equal((await publicListener.unary('HealthCheckRequest', { headers: {}, module: 'internal' })).body?.['success'], true);
      assert.deepEqual(publicListener.received.filter((m) => m.type === 'ConfigChangeNotifyRequest'), []);
      // Its re-listen with md5 "" is "up to date" for ever; a default-namespace listen learns the change.
      assert.deepEqual((await publicListener.unary('ConfigBatchListenRequest', LISTEN('public'))).body?.['changedConfigs'], []);
      assert.deepEqual((await listeners.get(null)!.unary('ConfigBatchListenRequest', LISTEN(null))).body?.['changedConfigs'], [
        { dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '' },
      ]);
    });
  });

  describe('naming namespace', () => {
    it('23 (§9.1): a naming request without namespace is not in "public": the server keys services by the raw namespace, the default is the client\'s', async () => {
      const p = await registered('naming');
      const reg = await p.unary('InstanceRequest', NAMING(ABSENT, { type: 'registerInstance', instance: INSTANCE }));
      assert.equal(reg.body?.['success'], true);
      assert.deepEqual(fx.srv.instances({ serviceName: 'svc', namespace: 'public' }), []);
      assert.deepEqual(hostsOf(await p.unary('SubscribeServiceRequest', NAMING('public', { subscribe: true, clusters: '' }))), []);
      assert.deepEqual(hostsOf(await p.unary('ServiceQueryRequest', NAMING(ABSENT, { cluster: '', healthyOnly: false }))), ['10.0.0.1']);
      const list = (ns: string | typeof ABSENT) => p.unary('ServiceListRequest', NAMING(ns, { serviceName: '', pageNo: 1, pageSize: 10 }));
      assert.deepEqual((await list(ABSENT)).body?.['serviceNames'], ['svc']);
      assert.deepEqual((await list('public')).body?.['serviceNames'], []);
      // The same request with namespace "public" lands where every SDK looks.
      await p.unary('InstanceRequest', NAMING('public', { type: 'registerInstance', instance: { ...INSTANCE, ip: '10.0.0.2' } }));
      assert.deepEqual(fx.srv.instances({ serviceName: 'svc' }).map((i) => i.ip), ['10.0.0.2']);
    });

    it('23: a naming namespace "" passes the parameter check (the Java checker skips blank ones) and is a namespace of its own', async () => {
      const p = await registered('naming');
      const reg = await p.unary('InstanceRequest', NAMING('', { type: 'registerInstance', instance: INSTANCE }));
      assert.deepEqual([reg.type, reg.body?.['success'], reg.body?.['errorCode']], ['InstanceResponse', true, 0]);
      assert.deepEqual(fx.srv.instances({ serviceName: 'svc', namespace: '' }).map((i) => i.ip), ['10.0.0.1']);
      assert.deepEqual(fx.srv.instances({ serviceName: 'svc', namespace: 'public' }), []);
      // A malformed non-blank namespace is still refused.
      const bad = await p.unary('InstanceRequest', NAMING('bad ns', { type: 'registerInstance', instance: INSTANCE }));
      assert.deepEqual([bad.type, bad.body?.['errorCode']], ['InstanceResponse', 400]);
    });
  });
});
