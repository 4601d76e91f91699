import assert from 'node:assert/strict';
import type { Cluster } from '../../../src/model/cluster';
import { allEndpoints } from '../../../src/model/cluster';
import type { MeshSnapshot } from '../../../src/model/mesh-snapshot';
import { NacosSource } from '../../../src/sources/nacos/nacos-source';
import type { NacosSourceOptions } from '../../../src/sources/nacos/nacos-source-options';
import type { NacosBody, NacosPayload } from '../../../src/sources/nacos/payload-codec';
import { RawNacosServer, next, serverFixture, until } from './nacos-test-kit';

const KEY = 'nacos://public/DEFAULT_GROUP/orders';

describe('§8 check 23 (namespace defaults), client side', () => {
  const sources: NacosSource[] = [];
  /** Sources close before their server: a deregistration must still get its answer. */
  async function closeSources(): Promise<void> {
    for (const s of sources.splice(0)) await s.close();
  }
  function source(options: Partial<NacosSourceOptions> & { servers: NacosSourceOptions['servers'] }): NacosSource {
    const s = new NacosSource({ timing: { requestTimeoutMs: 1000 }, logger: () => {}, ...options });
    sources.push(s);
    return s;
  }

  describe('what the SDK sends (raw server)', () => {
    let peer: RawNacosServer;
    beforeEach(async () => {
      peer = new RawNacosServer();
      await peer.start();
    });
    afterEach(async () => {
      await closeSources();
      peer.close();
    });
    const sent = (type: string) => peer.unary.filter((p) => p.type === type);
    const setup = (module: string) => peer.received('ConnectionSetupRequest').find((p) => (p.body?.['labels'] as NacosBody)['module'] === module)!;
    const listenTenants = () => sent('ConfigBatchListenRequest').flatMap((p) => (p.body?.['configListenContexts'] as NacosBody[]).map((c) => c['tenant']));
    /** Starts a source that registers, watches `orders` and listens to its rule, and waits for all of it. */
    async function started(namespace: string | undefined): Promise<NacosSource> {
      const src = source({
        servers: [peer.serverEntry],
        ...(namespace === undefined ? {} : { namespace }),
        register: { service: 'me', port: 8080, ip: '10.0.0.9' },
      });
      src.watch('orders');
      await src.start();
      await until(
        () => ['InstanceRequest', 'SubscribeServiceRequest', 'ConfigBatchListenRequest', 'ConfigQueryRequest'].every((t) => sent(t).length > 0),
        'registration, subscription, rule listen and read',
      );
      return src;
    }

    for (const namespace of [undefined, '', 'public']) {
      it(`23: with namespace ${namespace === undefined ? 'unset' : JSON.stringify(namespace)} naming requests carry namespace "public" and config requests tenant "" (as the Java client)`, async () => {
        await started(namespace);
        for (const type of ['InstanceRequest', 'SubscribeServiceRequest']) {
          assert.deepEqual(sent(type).map((p) => p.body?.['namespace']), ['public'], type);
        }
        assert.deepEqual(listenTenants(), ['']);
        assert.deepEqual(sent('ConfigQueryRequest').map((p) => p.body?.['tenant']), ['']);
        assert.equal(setup('config').body?.['tenant'], '');
        // Like the Java naming client, the naming connection names no tenant.
        assert.equal('tenant' in setup('naming').body!, false);
      });
    }

    it('23: namespace "PUBLIC" is sent as config tenant "" (the server would key the listen by "PUBLIC" and never notify it) and as is for naming', async () => {
      await started('PUBLIC');
      assert.deepEqual(sent('SubscribeServiceRequest').map((p) => p.body?.['namespace']), ['PUBLIC']);
      assert.deepEqual(listenTenants(), ['']);
      assert.equal(setup('config').body?.['tenant'], '');
    });

    it('23: a namespace of its own is sent as is to naming and config; explicit config namespaces "Null" and "public" mean tenant ""', async () => {
      const src = await started('dev');
      assert.deepEqual(sent('SubscribeServiceRequest').map((p) => p.body?.['namespace']), ['dev']);
      assert.deepEqual(listenTenants(), ['dev']);
      assert.equal(setup('config').body?.['tenant'], 'dev');
      const before = sent('ConfigQueryRequest').length;
      for (const ns of ['Null', 'public', 'dev']) await src.config.get('x.yaml', 'DEFAULT_GROUP', ns);
      assert.deepEqual(sent('ConfigQueryRequest').slice(before).map((p: NacosPayload) => p.body?.['tenant']), ['', '', 'dev']);
    });
  });

  describe('end to end with NacosServer', () => {
    const fx = serverFixture({}, closeSources);
    /** A foreign config client (e.g. a Java app or the console) publishing with this raw tenant. */
    async function publishAs(tenant: string | null, dataId: string, content: string): Promise<void> {
      const p = await fx.registered({ source: 'sdk', module: 'config' });
      const r = await p.unary('ConfigPublishRequest', { headers: {}, dataId, group: 'DEFAULT_GROUP', tenant, content, additionMap: { type: null }, module: 'config' });
      assert.equal(r.body?.['success'], true);
    }

    it('23: a default-namespace source sees instances registered in "public" and reads configs published with tenant "public", "" and null', async () => {
      fx.srv.registerInstance({ serviceName: 'orders', ip: '10.0.0.1', port: 80 });
      const src = source({ servers: [fx.srv.serverEntry], rulesGroup: false });
      const changed = next<[MeshSnapshot]>(src, 'changed', (s) => s.clusters.has(KEY));
      assert.equal(src.watch('orders'), KEY);
      await src.start();
      const [snap] = await changed;
      assert.deepEqual(allEndpoints(snap.clusters.get(KEY) as Cluster).map((e) => e.address), ['10.0.0.1:80']);
      for (const tenant of ['public', '', null]) {
        await publishAs(tenant, 'app.yaml', `by ${String(tenant)}`);
        assert.equal((await src.config.get('app.yaml', 'DEFAULT_GROUP'))?.content, `by ${String(tenant)}`);
        assert.equal((await src.config.get('app.yaml', 'DEFAULT_GROUP', 'public'))?.content, `by ${String(tenant)}`);
      }
    });

    for (const namespace of ['public', 'PUBLIC', '']) {
      it(`23: a source with namespace ${JSON.stringify(namespace)} listens with tenant "" and is notified of configs published with tenant "public" and null`, async () => {
        const src = source({ servers: [fx.srv.serverEntry], namespace });
        src.watch('orders');
        await src.start();
        // The rule listen of the watched service is keyed in the default namespace.
        await until(() => fx.srv.configListeners({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', tenant: '' }).length === 1, 'the rule listen');
        const seen: Array<string | undefined> = [];
        await src.config.listen('app.yaml', 'DEFAULT_GROUP', namespace, (c) => seen.push(c));
        assert.deepEqual(fx.srv.configListeners({ dataId: 'app.yaml', tenant: '' }).length, 1);
        await publishAs('public', 'app.yaml', 'v: 1');
        await until(() => seen.at(-1) === 'v: 1', 'the change published with tenant "public"');
        await publishAs(null, 'app.yaml', 'v: 2');
        await until(() => seen.at(-1) === 'v: 2', 'the change published with tenant null');
        assert.deepEqual(seen, [undefined, 'v: 1', 'v: 2']);
      });
    }
  });
});
