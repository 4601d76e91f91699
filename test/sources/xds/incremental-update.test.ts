import assert from 'node:assert/strict';
import { EventEmitter } from 'eventemitter3';
import { MeshClient } from '../../../src/client/mesh-client';
import { createCluster, type Cluster } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../../src/model/mesh-snapshot';
import type { SnapshotChange, Source, SourceEvents, TargetStatus } from '../../../src/sources/source';
import { XdsSource } from '../../../src/sources/xds/xds-source';
import { XdsControlPlane } from '../../../src/testing/xds-control-plane';

const CLUSTERS = 50;

function clusterOf(i: number, port: number): Cluster {
  return createCluster({ name: `s${i}`, endpoints: [createEndpoint({ host: `10.0.${i}.1`, port }), createEndpoint({ host: `10.0.${i}.2`, port })] });
}

function meshOf(clusters: Cluster[], version = ''): MeshSnapshot {
  return createMeshSnapshot({
    version,
    listeners: [
      {
        name: 'mesh',
        routeTable: {
          name: 'mesh',
          virtualHosts: [
            {
              name: 'all',
              domains: ['*'],
              routes: clusters.map((c) => ({
                match: { path: { kind: 'prefix', value: `/${c.name}/` }, caseSensitive: true, headers: [], queryParameters: [] },
                action: { kind: 'cluster', cluster: c.name },
                hashPolicies: [],
              })),
            },
          ],
        },
      },
    ],
    clusters,
  });
}

function nextChange(source: Source, test: (s: MeshSnapshot) => boolean): Promise<{ snapshot: MeshSnapshot; change: SnapshotChange | undefined }> {
  return new Promise((resolve) => {
    const on = (snapshot: MeshSnapshot, change?: SnapshotChange) => {
      if (!test(snapshot)) return;
      source.off('changed', on);
      resolve({ snapshot, change });
    };
    source.on('changed', on);
  });
}

const portIn = (s: MeshSnapshot, name: string) => s.clusters.get(name)?.priorities[0]?.localities[0]?.endpoints[0]?.port;

for (const delta of [false, true]) {
  describe(`XdsSource incremental updates (${delta ? 'delta' : 'state-of-the-world'} ADS)`, () => {
    let cp: XdsControlPlane;
    let source: XdsSource | undefined;
    beforeEach(async () => {
      cp = new XdsControlPlane();
      await cp.start();
    });
    afterEach(async () => {
      await source?.close();
      await cp.stop();
    });

    it('publishes an endpoint change with a hint naming only that cluster, sharing every other entry', async () => {
      const clusters = Array.from({ length: CLUSTERS }, (_, i) => clusterOf(i, 8080));
      cp.setSnapshot(meshOf(clusters, '1'));
      source = new XdsSource({ bootstrap: cp.bootstrap(), delta });
      const synced = nextChange(source, (s) => s.clusters.size === CLUSTERS);
      source.watch('mesh');
      await source.start();
      const { snapshot: first } = await synced;

      clusters[7] = clusterOf(7, 9090);
      const changed = nextChange(source, (s) => portIn(s, 's7') === 9090);
      cp.setSnapshot(meshOf(clusters, '2'));
      const { snapshot: second, change } = await changed;
      assert.ok(change, 'an incremental update carries a hint');
      assert.equal(change.since, first);
      assert.deepEqual(change.clusters, ['s7']);
      assert.deepEqual(change.listeners, []);
      assert.deepEqual(change.routeTables, []);
      assert.equal(second.listeners, first.listeners);
      assert.equal(second.clusters.size, CLUSTERS);
      for (const [name, c] of first.clusters) if (name !== 's7') assert.equal(second.clusters.get(name), c, name);
      assert.equal(portIn(first, 's7'), 8080, 'the earlier snapshot is unchanged');
      assert.deepEqual(
        [...second.clusters.keys()].sort(),
        clusters.map((c) => c.name).sort(),
      );

      // A structural change (a new cluster and route) takes the full path: no hint.
      clusters.push(clusterOf(CLUSTERS, 7070));
      const grown = nextChange(source, (s) => s.clusters.size === CLUSTERS + 1);
      cp.setSnapshot(meshOf(clusters, '3'));
      const full = await grown;
      assert.equal(full.change, undefined);
      assert.equal(portIn(full.snapshot, `s${CLUSTERS}`), 7070);

      // And the next endpoint change is incremental again, relative to that snapshot.
      clusters[3] = clusterOf(3, 6060);
      const again = nextChange(source, (s) => portIn(s, 's3') === 6060);
      cp.setSnapshot(meshOf(clusters, '4'));
      const third = await again;
      assert.equal(third.change?.since, full.snapshot);
      assert.deepEqual(third.change?.clusters, ['s3']);
    });

    it('MeshClient applies incremental updates: picks follow them, other balancers are untouched', async () => {
      const clusters = Array.from({ length: CLUSTERS }, (_, i) => clusterOf(i, 8080));
      cp.setSnapshot(meshOf(clusters, '1'));
      const mesh = new MeshClient({ xds: { bootstrap: cp.bootstrap(), delta } });
      try {
        await mesh.ready(['xds:///mesh'], { timeoutMs: 5000 });
        const port = (name: string) => {
          const r = mesh.pick('xds:///mesh', { path: `/${name}/x` });
          assert.ok(r.ok, r.ok ? '' : r.error.message);
          r.done({ ok: true });
          return r.endpoint.port;
        };
        const before = mesh.pick('xds:///mesh', { path: '/s5/x' });
        assert.ok(before.ok);
        before.done({ ok: true });
        for (let round = 0; round < 3; round++) {
          clusters[round] = clusterOf(round, 9000 + round);
          const done = new Promise<void>((resolve) => {
            const on = () => {
              if (port(`s${round}`) !== 9000 + round) return;
              mesh.off('update', on);
              resolve();
            };
            mesh.on('update', on);
          });
          cp.setSnapshot(meshOf(clusters, String(round + 2)));
          await done;
        }
        assert.equal(port('s0'), 9000);
        assert.equal(port('s1'), 9001);
        assert.equal(port('s49'), 8080);
        const stats = mesh.stats().find((s) => s.cluster === 's5');
        assert.equal(stats?.requestsTotal, 1, 'the s5 balancer kept its counters');
        assert.equal(mesh.clusters().length, CLUSTERS);
      } finally {
        await mesh.close();
      }
    });
  });
}

/** A source that emits whatever snapshot and hint a test gives it. */
class ScriptedSource extends EventEmitter<SourceEvents> implements Source {
  readonly scheme = 'scripted';
  snapshot: MeshSnapshot;
  readonly synced = true;
  constructor(snapshot: MeshSnapshot) {
    super();
    this.snapshot = snapshot;
  }
  push(snapshot: MeshSnapshot, change?: SnapshotChange): void {
    this.snapshot = snapshot;
    this.emit('changed', snapshot, change);
  }
  async start(): Promise<void> {}
  watch(target: string): string {
    return target;
  }
  unwatch(): void {}
  targetStatus(key: string): TargetStatus {
    return this.snapshot.listeners.has(key) ? 'exists' : 'doesNotExist';
  }
  restore(): void {}
  dump(): Record<string, unknown> {
    return {};
  }
  async close(): Promise<void> {}
}

describe('MeshClient change hints', () => {
  const port = (mesh: MeshClient, name: string) => {
    const r = mesh.pick('mesh', { path: `/${name}/x` });
    if (!r.ok) return r.error.code;
    r.done({ ok: true });
    return r.endpoint.port;
  };

  it('updates only the clusters a hint names, and applies a stale hint in full', async () => {
    const clusters = [clusterOf(0, 1000), clusterOf(1, 1001), clusterOf(2, 1002)];
    const first = meshOf(clusters, '1');
    const source = new ScriptedSource(first);
    const mesh = new MeshClient({ sources: [source] });
    try {
      await mesh.ready(['mesh'], { timeoutMs: 1000 });
      assert.equal(port(mesh, 's0'), 1000);
      // Both s0 and s1 change, but the hint names s0 only: MeshClient trusts it (s1 keeps serving 1001).
      const second = meshOf([clusterOf(0, 2000), clusterOf(1, 2001), clusterOf(2, 1002)], '2');
      source.push(second, { since: first, listeners: [], routeTables: [], clusters: ['s0'] });
      assert.equal(port(mesh, 's0'), 2000);
      assert.equal(port(mesh, 's1'), 1001);
      // A hint relative to a snapshot the client never applied is ignored: full apply.
      const third = meshOf([clusterOf(0, 3000), clusterOf(1, 3001)], '3');
      source.push(third, { since: first, listeners: [], routeTables: [], clusters: ['s0'] });
      assert.equal(port(mesh, 's0'), 3000);
      assert.equal(port(mesh, 's1'), 3001);
      assert.equal(mesh.stats().length, 2, 'the removed cluster s2 is closed');
      // A hint may remove a cluster.
      const fourth = meshOf([clusterOf(0, 3000)], '4');
      source.push(fourth, { since: third, listeners: [], routeTables: [], clusters: ['s1'] });
      assert.deepEqual(
        mesh.stats().map((s) => s.cluster),
        ['s0'],
      );
    } finally {
      await mesh.close();
    }
  });
});
