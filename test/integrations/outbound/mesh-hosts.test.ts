import assert from 'node:assert/strict';
import http from 'node:http';
import { request } from 'undici';
import { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { MeshHttpAgent } from '../../../src/integrations/http/index';
import { compileMeshHosts, type MeshHosts } from '../../../src/integrations/outbound/mesh-hosts';
import { createMeshDispatcher, createMeshFetch, meshInterceptor } from '../../../src/integrations/undici/index';
import { createCluster } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { createMeshSnapshot } from '../../../src/model/mesh-snapshot';
import { XdsControlPlane } from '../../../src/testing/xds-control-plane';
import { catchAllRoute } from '../../sources/xds/xds-test-kit';
import { startBackend, type TestBackend } from '../support/http-backend';

const REVIEWS = 'reviews.default.svc.cluster.local';

describe('meshHosts: which hosts are mesh targets', () => {
  describe('compileMeshHosts', () => {
    it('matches host names by exact name, *suffix, prefix* and *, ignoring ASCII case', () => {
      const isMesh = compileMeshHosts(['*.svc.cluster.local', 'Reviews', 'ratings-*'])!;
      const hosts = ['reviews', 'REVIEWS', 'a.default.svc.cluster.local', 'ratings-v2', 'api.github.com', '.svc.cluster.local', 'ratings-', 'reviews2'];
      assert.deepEqual(hosts.map(isMesh), [true, true, true, true, false, false, false, false]);
      assert.equal(compileMeshHosts(['*'])!('anything.example'), true);
      assert.equal(compileMeshHosts([])!('reviews'), false, 'an empty list routes nothing');
      assert.equal(compileMeshHosts(['a', 'A', 'a'])!('a'), true, 'repeated patterns are harmless');
    });

    it('uses a function as is, and leaves every host a candidate when unset', () => {
      const fn = (h: string): boolean => h.endsWith('.internal');
      assert.equal(compileMeshHosts(fn), fn);
      assert.equal(compileMeshHosts(undefined), undefined);
    });

    it('rejects invalid patterns and values, naming the option', () => {
      const cases: Array<[unknown, string]> = [
        [['ok', 'a*b'], 'meshHosts[1]'],
        [[''], 'meshHosts[0]'],
        [['**'], 'meshHosts[0]'],
        [[42], 'meshHosts[0]'],
        ['*.svc.cluster.local', 'meshHosts'],
        [{}, 'meshHosts'],
      ];
      for (const [option, field] of cases) {
        assert.throws(
          () => compileMeshHosts(option as MeshHosts),
          (e: { code?: string; field?: string }) => e.code === ErrorCode.INVALID_CONFIG && e.field === field,
          JSON.stringify(option),
        );
      }
      assert.throws(() => meshInterceptor({ pick: () => ({}) as never }, { meshHosts: ['x*y'] }), (e: { field?: string }) => e.field === 'meshHosts[0]');
      const mesh = { pick: () => ({}) as never };
      assert.throws(() => new MeshHttpAgent(mesh, { meshHosts: 'reviews' as unknown as string[] }), (e: { field?: string }) => e.field === 'meshHosts');
    });
  });

  describe('with the undici and http integrations on an xDS mesh', () => {
    let cp: XdsControlPlane;
    let mesh: MeshClient;
    let meshBackend: TestBackend;
    let direct: TestBackend;
    const open: Array<{ close(): unknown }> = [];

    beforeEach(async () => {
      meshBackend = await startBackend('mesh');
      direct = await startBackend('direct');
      cp = new XdsControlPlane({
        snapshot: createMeshSnapshot({
          listeners: [
            {
              name: REVIEWS,
              routeTable: { name: 'rt', virtualHosts: [{ name: 'vh', domains: ['*'], routes: [catchAllRoute({ kind: 'cluster', cluster: 'c' })] }] },
            },
          ],
          clusters: [createCluster({ name: 'c', endpoints: [createEndpoint({ host: '127.0.0.1', port: meshBackend.port })] })],
        }),
      });
      await cp.start();
      mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap() } });
      await mesh.ready([REVIEWS], { timeoutMs: 5000 });
    });
    afterEach(async () => {
      for (const o of open.splice(0).reverse()) await o.close();
      await mesh.close();
      await cp.stop();
      await meshBackend.close();
      await direct.close();
    });

    /** Target strings the client watches, and listener names the xDS source watches. */
    function watched(): { client: string[]; xds: string[] } {
      const d = mesh.dump() as { targets: Array<{ target: string }>; sources: Array<{ state: { targets: Record<string, string> } }> };
      return { client: d.targets.map((t) => t.target).sort(), xds: Object.keys(d.sources[0]!.state.targets).sort() };
    }

    async function body(res: Awaited<ReturnType<typeof request>>): Promise<{ backend: string; host: string }> {
      return (await res.body.json()) as { backend: string; host: string };
    }

    it('undici: routes mesh hosts and sends other hosts out without a pick or a subscription', async () => {
      const dispatcher = createMeshDispatcher(mesh, { meshHosts: ['*.svc.cluster.local'] });
      open.push(dispatcher);
      assert.deepEqual(await body(await request(`http://${REVIEWS}/r`, { dispatcher })), { backend: 'mesh', host: REVIEWS, url: '/r' });
      const res = await request(`http://localhost:${direct.port}/d`, { dispatcher });
      assert.equal((await body(res)).backend, 'direct');
      assert.deepEqual(watched(), { client: [REVIEWS], xds: [REVIEWS] });
    });

    it('undici without meshHosts (the default): every host is tried, and unknown ones pass through', async () => {
      const dispatcher = createMeshDispatcher(mesh);
      open.push(dispatcher);
      const res = await request(`http://localhost:${direct.port}/d`, { dispatcher });
      assert.equal((await body(res)).backend, 'direct');
      assert.deepEqual(watched().xds, ['localhost', `localhost:${direct.port}`, REVIEWS]);
    });

    it('createMeshFetch takes the same option (a predicate here)', async () => {
      const meshFetch = createMeshFetch(mesh, { meshHosts: (host) => host === REVIEWS });
      open.push(meshFetch);
      assert.equal(((await (await meshFetch(`http://${REVIEWS}/`)).json()) as { backend: string }).backend, 'mesh');
      assert.equal(((await (await meshFetch(`http://localhost:${direct.port}/`)).json()) as { backend: string }).backend, 'direct');
      assert.deepEqual(watched().client, [REVIEWS]);
    });

    it('node:http agent: routes mesh hosts and sends other hosts out untouched', async () => {
      const agent = new MeshHttpAgent(mesh, { meshHosts: [REVIEWS] });
      open.push({ close: () => agent.destroy() });
      const get = (url: string): Promise<string> =>
        new Promise((resolve, reject) => {
          http
            .get(url, { agent }, (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (text += c));
              res.on('end', () => resolve((JSON.parse(text) as { backend: string }).backend));
            })
            .on('error', reject);
        });
      assert.equal(await get(`http://${REVIEWS}/`), 'mesh');
      assert.equal(await get(`http://localhost:${direct.port}/`), 'direct');
      assert.deepEqual(watched(), { client: [REVIEWS], xds: [REVIEWS] });
    });
  });
});
