import * as assert from 'node:assert/strict';
import { createCluster } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../../src/model/mesh-snapshot';
import type { VirtualHost } from '../../../src/model/route-table';
import { XdsControlPlane, type ControlPlaneStream } from '../../../src/testing/xds-control-plane';
import { TypeUrl } from '../../../src/sources/xds/type-urls';
import { XdsSource } from '../../../src/sources/xds/xds-source';
import { catchAllRoute, nextEvent, snapshotWhere } from './xds-test-kit';

function vh(name: string, domains: string[], clusters: string[]): VirtualHost {
  const action =
    clusters.length === 1
      ? ({ kind: 'cluster', cluster: clusters[0]! } as const)
      : ({ kind: 'weightedClusters', clusters: clusters.map((c) => ({ name: c, weight: 1 })) } as const);
  return { name, domains, routes: [catchAllRoute(action)] };
}

/** Listeners `targets` all naming route table `shared` with `hosts`; one endpoint per cluster. */
function mesh(targets: string[], hosts: VirtualHost[], clusters: string[]): MeshSnapshot {
  return createMeshSnapshot({
    listeners: targets.map((name) => ({ name, routeTableName: 'shared' })),
    routeTables: [{ name: 'shared', virtualHosts: hosts }],
    clusters: clusters.map((name, i) => createCluster({ name, endpoints: [createEndpoint({ host: `10.0.1.${i + 1}`, port: 80 })] })),
  });
}

const ALL = ['a', 'b', 'c', 'd', 'e', 'f'];

for (const delta of [false, true]) {
  describe(`XdsSource subscribes only the matching virtual host's clusters (${delta ? 'delta' : 'SotW'})`, () => {
    let cp: XdsControlPlane;
    let source: XdsSource;

    beforeEach(async () => {
      cp = new XdsControlPlane();
      await cp.start();
      source = new XdsSource({ bootstrap: cp.bootstrap(), delta });
      source.on('error', () => undefined);
      await source.start();
    });
    afterEach(async () => {
      await source.close();
      await cp.stop();
    });

    /** The names the control plane has on the (one) stream for a type. */
    function subscribed(typeUrl: string): string[] {
      const stream: ControlPlaneStream | undefined = cp.streams.find((s) => s.open);
      return [...(stream?.subscriptions.get(typeUrl) ?? [])].sort();
    }

    /** Resolves once the control plane's subscription for `typeUrl` is exactly `names`. */
    async function subscriptionBecomes(typeUrl: string, names: string[]): Promise<void> {
      const same = (): boolean => JSON.stringify(subscribed(typeUrl)) === JSON.stringify(names);
      if (!same()) await nextEvent(cp, 'request', same);
    }

    /**
     * Waits until the source's snapshot has exactly `clusters`, each with its endpoints, and the
     * control plane sees exactly those CDS and EDS names. A cluster the source wrongly asked for
     * would be in the request that subscribed the others, so it would show here.
     */
    async function clustersBecome(clusters: string[]): Promise<void> {
      await snapshotWhere(
        source,
        (s) => s.clusters.size === clusters.length && clusters.every((c) => (s.clusters.get(c)?.priorities.length ?? 0) > 0),
      );
      await subscriptionBecomes(TypeUrl.CLUSTER, clusters);
      await subscriptionBecomes(TypeUrl.CLUSTER_LOAD_ASSIGNMENT, clusters);
    }

    it('follows the one virtual host that best matches the target: exact, then longest *suffix, then longest prefix*, then *', async () => {
      const hosts = [
        vh('any', ['*'], ['a']),
        vh('suffix', ['*.svc.cluster.local'], ['b']),
        vh('longer-suffix', ['*.default.svc.cluster.local'], ['c']),
        vh('prefix', ['reviews.*'], ['d']),
        vh('exact', ['Reviews.default.svc.cluster.local:9080'], ['e', 'f']),
      ];
      cp.setSnapshot(
        mesh(
          ['reviews.default.svc.cluster.local:9080', 'ratings.default.svc.cluster.local', 'x.other.svc.cluster.local', 'reviews.example:80', 'other:80'],
          hosts,
          ALL,
        ),
      );
      const steps: Array<[string, string[]]> = [
        ['reviews.default.svc.cluster.local:9080', ['e', 'f']], // exact, case-insensitive, the port part of the authority
        ['ratings.default.svc.cluster.local', ['c']], // the longer suffix wins over *.svc.cluster.local
        ['x.other.svc.cluster.local', ['b']],
        ['reviews.example:80', ['d']], // a prefix wildcard
        ['other:80', ['a']], // only * is left
      ];
      for (const [target, clusters] of steps) {
        source.watch(`xds:///${target}`);
        await clustersBecome(clusters);
        source.unwatch(`xds:///${target}`);
      }
    });

    it('compares the :port as part of the authority: neither a port-less domain nor a *suffix matches host:port', async () => {
      const hosts = [vh('any', ['*'], ['a']), vh('bare', ['reviews.default.svc.cluster.local'], ['b']), vh('suffix', ['*.svc.cluster.local'], ['c'])];
      cp.setSnapshot(mesh(['reviews.default.svc.cluster.local:9080'], hosts, ALL));
      source.watch('xds:///reviews.default.svc.cluster.local:9080');
      await clustersBecome(['a']);
    });

    it('subscribes nothing beyond the route table when no virtual host matches, and the target still completes', async () => {
      cp.setSnapshot(mesh(['reviews:9080'], [vh('other', ['ratings:9080'], ['a'])], ALL));
      source.watch('xds:///reviews:9080');
      const snap = await snapshotWhere(source, (s) => s.listeners.has('reviews:9080') && s.routeTables.has('shared'));
      assert.equal(snap.clusters.size, 0);
      assert.deepEqual(subscribed(TypeUrl.CLUSTER), []);
    });

    it('subscribes the union for two targets sharing a route table, and drops a target’s clusters when it is unwatched', async () => {
      cp.setSnapshot(mesh(['reviews:9080', 'ratings:9080'], [vh('r', ['reviews:9080'], ['a', 'b']), vh('s', ['ratings:9080'], ['c']), vh('t', ['*'], ['d'])], ALL));
      source.watch('xds:///reviews:9080');
      await clustersBecome(['a', 'b']);
      source.watch('xds:///ratings:9080');
      await clustersBecome(['a', 'b', 'c']);
      source.unwatch('xds:///reviews:9080');
      await clustersBecome(['c']);
    });

    it('moves the subscriptions when a route table update changes which clusters the matching virtual host uses', async () => {
      const before = [vh('r', ['reviews:9080'], ['a']), vh('s', ['*'], ['b'])];
      cp.setSnapshot(mesh(['reviews:9080'], before, ALL));
      source.watch('xds:///reviews:9080');
      await clustersBecome(['a']);
      // The matching virtual host now routes to c and d; the other one to e (never subscribed).
      cp.setSnapshot(mesh(['reviews:9080'], [vh('r', ['reviews:9080'], ['c', 'd']), vh('s', ['*'], ['e'])], ALL));
      await clustersBecome(['c', 'd']);
      // The exact domain is removed: the catch-all virtual host now matches.
      cp.setSnapshot(mesh(['reviews:9080'], [vh('r', ['ratings:9080'], ['c', 'd']), vh('s', ['*'], ['e'])], ALL));
      await clustersBecome(['e']);
    });
  });
}
