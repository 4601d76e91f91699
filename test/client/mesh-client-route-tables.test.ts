import assert from 'node:assert/strict';
import { MeshClient, type MeshSourceErrorEvent } from '../../src/client/mesh-client';
import { ErrorCode } from '../../src/errors';
import { createCluster } from '../../src/model/cluster';
import { createEndpoint } from '../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../src/model/mesh-snapshot';
import type { VirtualHost } from '../../src/model/route-table';
import { StaticSource } from '../../src/sources/static/static-source';
import { XdsControlPlane } from '../../src/testing/xds-control-plane';
import { catchAllRoute } from '../sources/xds/xds-test-kit';

/** Target `reviews` through route table `rt` with `hosts`; clusters a and b. */
function snapshot(hosts: VirtualHost[], version = '1'): MeshSnapshot {
  return createMeshSnapshot({
    version,
    listeners: [{ name: 'reviews', routeTableName: 'rt' }],
    routeTables: [{ name: 'rt', virtualHosts: hosts }],
    clusters: ['a', 'b'].map((name, i) => createCluster({ name, endpoints: [createEndpoint({ host: `10.0.3.${i + 1}`, port: 80, labels: { c: name } })] })),
  });
}

const toA: VirtualHost = { name: 'a', domains: ['reviews'], routes: [catchAllRoute({ kind: 'cluster', cluster: 'a' })] };
// The same domain in a second virtual host, differing only in case: no router can choose.
const clash: VirtualHost[] = [toA, { name: 'b', domains: ['REVIEWS'], routes: [catchAllRoute({ kind: 'cluster', cluster: 'b' })] }];

function clusterOf(mesh: MeshClient): string | undefined {
  const r = mesh.pick('reviews');
  return r.ok ? r.endpoint.labels.c : r.error.code;
}

describe('MeshClient with a route table that gives one domain to two virtual hosts', () => {
  it('over xDS: the RouteConfiguration is NACKed and the last good table keeps serving', async () => {
    const cp = new XdsControlPlane({ snapshot: snapshot([toA]) });
    await cp.start();
    const mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap() } });
    try {
      await mesh.ready(['reviews'], { timeoutMs: 5000 });
      assert.equal(clusterOf(mesh), 'a');
      const rejected = new Promise<MeshSourceErrorEvent>((resolve) => mesh.once('rejected', resolve));
      const nacked = new Promise<string>((resolve) => cp.once('nack', (n) => resolve(n.message)));
      cp.setSnapshot(snapshot(clash, '2'));
      assert.equal((await rejected).error.code, ErrorCode.NACKED);
      assert.match(await nacked, /virtual_hosts\[1\]\.domains\[0\]/);
      assert.equal(clusterOf(mesh), 'a');
    } finally {
      await mesh.close();
      await cp.stop();
    }
  });

  it('from a custom source: reported as rejected once, never thrown out of the update, last router kept', async () => {
    const source = new StaticSource(snapshot([toA]));
    const mesh = new MeshClient({ sources: [source] });
    try {
      await mesh.ready(['reviews']);
      assert.equal(clusterOf(mesh), 'a');
      const events: MeshSourceErrorEvent[] = [];
      mesh.on('rejected', (e) => events.push(e));
      const bad = snapshot(clash, '2');
      source.set(bad);
      await new Promise<void>((resolve) => mesh.once('update', () => resolve()));
      assert.equal(events.length, 1);
      assert.equal(events[0]!.error.code, ErrorCode.INVALID_CONFIG);
      assert.equal(clusterOf(mesh), 'a');
      // The same table again (a cluster-only update keeps it): no second report.
      source.set({ ...bad, version: '3' });
      await new Promise<void>((resolve) => mesh.once('update', () => resolve()));
      assert.equal(events.length, 1);
      // A new target over the unusable table cannot be routed; it is not a crash either.
      const fresh = new MeshClient({ sources: [new StaticSource(bad)] });
      fresh.on('rejected', () => undefined);
      await fresh.ready();
      assert.equal(clusterOf(fresh), ErrorCode.UNKNOWN_TARGET);
      await fresh.close();
    } finally {
      await mesh.close();
    }
  });
});
