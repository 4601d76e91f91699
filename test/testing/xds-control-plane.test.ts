import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadGrpc } from '../../src/testing/load-grpc';
import { TypeUrl } from '../../src/sources/xds/type-urls';
import { XdsSource } from '../../src/sources/xds/xds-source';
import { XdsControlPlane } from '../../src/testing/xds-control-plane';
import { canarySnapshot, nextEvent, res, snapshotWhere } from '../sources/xds/xds-test-kit';

describe('XdsControlPlane with XdsSource', () => {
  const planes: XdsControlPlane[] = [];
  const sources: XdsSource[] = [];

  async function plane(snapshot = canarySnapshot(), options: ConstructorParameters<typeof XdsControlPlane>[0] = {}) {
    const cp = new XdsControlPlane({ snapshot, ...options });
    await cp.start();
    planes.push(cp);
    return cp;
  }

  function source(options: ConstructorParameters<typeof XdsSource>[0]): XdsSource {
    const s = new XdsSource(options);
    s.on('error', () => undefined);
    sources.push(s);
    return s;
  }

  afterEach(async () => {
    for (const s of sources.splice(0)) await s.close();
    for (const p of planes.splice(0)) await p.stop();
  });

  it('serves a snapshot and pushes changes (SotW)', async () => {
    const cp = await plane();
    const src = source({ bootstrap: cp.bootstrap() });
    await src.start();
    src.watch('reviews:9080');
    const first = await snapshotWhere(src, (s) => s.clusters.size === 2);
    const rt = first.routeTables.get('reviews-routes')!;
    const action = rt.virtualHosts[0]!.routes[0]!.action;
    assert.deepEqual(action, { kind: 'weightedClusters', clusters: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] });
    assert.deepEqual(first.clusters.get('v1')!.priorities[0]!.localities[0]!.endpoints[0]!.labels, { version: 'v1' });
    const acked = nextEvent(cp, 'ack', (typeUrl: string) => typeUrl === TypeUrl.ROUTE_CONFIGURATION);
    cp.setSnapshot(canarySnapshot({ weights: [50, 50] }));
    const next = await snapshotWhere(src, (s) => {
      const a = s.routeTables.get('reviews-routes')?.virtualHosts[0]?.routes[0]?.action;
      return a?.kind === 'weightedClusters' && a.clusters[0]!.weight === 50;
    });
    assert.notEqual(next.version, first.version);
    await acked;
    assert.equal(cp.streams[0]!.nacks.length, 0);
  });

  it('14. delta: reconnect lists every name with initial_resource_versions; removed_resources is does-not-exist; absent is kept', async () => {
    const cp = await plane();
    const src = source({ bootstrap: cp.bootstrap(), delta: true });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => s.clusters.size === 2);
    assert.equal(cp.streams[0]!.kind, 'delta');
    // A change to v1's endpoints only: v2 is absent from the response and must be kept.
    const next = canarySnapshot();
    const snap2 = { ...next, clusters: new Map(next.clusters) };
    const v1 = next.clusters.get('v1')!;
    snap2.clusters.set('v1', { ...v1, circuitBreaker: { maxRequests: 7 } });
    cp.setSnapshot(snap2);
    const s2 = await snapshotWhere(src, (s) => s.clusters.get('v1')?.circuitBreaker.maxRequests === 7);
    assert.ok(s2.clusters.get('v2'));
    // Reconnect: the first request per type lists all names and their versions.
    const reconnect = nextEvent(cp, 'stream');
    cp.breakStreams();
    await reconnect;
    const stream = cp.streams[1]!;
    const eds = await new Promise<{ resource_names_subscribe?: string[]; initial_resource_versions?: Record<string, string> }>((resolve) => {
      const check = () => {
        const r = stream.requests.find((q) => q.type_url === TypeUrl.CLUSTER_LOAD_ASSIGNMENT);
        if (r) resolve(r as { resource_names_subscribe?: string[]; initial_resource_versions?: Record<string, string> });
        else setImmediate(check);
      };
      check();
    });
    assert.deepEqual([...(eds.resource_names_subscribe ?? [])].sort(), ['v1', 'v2']);
    assert.deepEqual(Object.keys(eds.initial_resource_versions ?? {}).sort(), ['v1', 'v2']);
    // Removal: v2's cluster disappears from the server ⇒ removed_resources ⇒ does-not-exist at once.
    cp.setRawResource(TypeUrl.CLUSTER, 'v2', null);
    await snapshotWhere(src, (s) => !s.clusters.has('v2'));
    assert.equal(src.client.status(TypeUrl.CLUSTER, 'v2'), 'doesNotExist');
  });

  it('rejects an invalid pushed resource, keeps the last good one, and reports MESH_ERR_NACKED', async () => {
    const cp = await plane();
    const src = source({ bootstrap: cp.bootstrap() });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => s.clusters.size === 2);
    const rejected = new Promise<Error & { code: string }>((resolve) => src.once('rejected', resolve));
    const nack = nextEvent(cp, 'nack');
    cp.setRawResource(TypeUrl.CLUSTER, 'v1', res.cluster('v1', { lb_policy: 'RANDOM' }));
    const err = await rejected;
    assert.equal(err.code, 'MESH_ERR_NACKED');
    assert.match(err.message, /lb_policy/);
    await nack;
    assert.equal(src.snapshot.clusters.get('v1')!.lbPolicy.name, 'round_robin');
  });

  it('keeps serving while the control plane is down and resyncs after it restarts on the same port', async () => {
    const cp = await plane();
    const src = source({ bootstrap: cp.bootstrap(), backoff: { initialMs: 20, maxMs: 50 } });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => s.clusters.size === 2);
    const port = cp.port;
    const down = nextEvent(src, 'error');
    await cp.stop();
    await down;
    assert.equal(src.snapshot.clusters.size, 2, 'last good snapshot still served');
    cp.setSnapshot(canarySnapshot({ weights: [1, 99] }));
    await cp.start();
    assert.equal(cp.port, port);
    await snapshotWhere(src, (s) => {
      const a = s.routeTables.get('reviews-routes')?.virtualHosts[0]?.routes[0]?.action;
      return a?.kind === 'weightedClusters' && a.clusters[1]!.weight === 99;
    });
  });

  it('falls back to the next xds_server when the primary is unreachable and returns to the primary (A71)', async () => {
    const primary = await plane(canarySnapshot({ weights: [90, 10] }));
    const fallback = await plane(canarySnapshot({ weights: [10, 90] }));
    const primaryPort = primary.port;
    await primary.stop();
    const bootstrap = {
      xds_servers: [
        { server_uri: `127.0.0.1:${primaryPort}`, channel_creds: [{ type: 'insecure' }] },
        { server_uri: fallback.address, channel_creds: [{ type: 'insecure' }] },
      ],
      node: { id: 'sidecar~127.0.0.1~a.default~default.svc.cluster.local' },
    };
    const weightOfV1 = (s: ReturnType<XdsSource['snapshot']['routeTables']['get']>) => {
      const a = s?.virtualHosts[0]?.routes[0]?.action;
      return a?.kind === 'weightedClusters' ? a.clusters[0]!.weight : undefined;
    };
    const src = source({ bootstrap, backoff: { initialMs: 20, maxMs: 40 } });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => weightOfV1(s.routeTables.get('reviews-routes')) === 10);
    assert.equal(src.client.activeServer, 1);
    await primary.start();
    await snapshotWhere(src, (s) => weightOfV1(s.routeTables.get('reviews-routes')) === 90);
    assert.equal(src.client.activeServer, 0);
  });

  it('delays and holds responses on request (fault hooks)', async () => {
    const cp = await plane();
    cp.pause();
    const src = source({ bootstrap: cp.bootstrap() });
    await src.start();
    src.watch('reviews:9080');
    await nextEvent(cp, 'request');
    assert.equal(src.synced, false);
    cp.delayResponses(5);
    cp.resume();
    await snapshotWhere(src, (s) => s.clusters.size === 2);
  });

  it('serves over a Unix domain socket, reached with an Istio-shaped unix:/// bootstrap', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecarless-xds-'));
    try {
      const cp = await plane(canarySnapshot(), { socketPath: path.join(dir, 'XDS') });
      assert.equal(cp.address, `unix://${path.join(dir, 'XDS')}`);
      const src = source({ bootstrap: cp.bootstrap() });
      await src.start();
      src.watch('reviews:9080');
      await snapshotWhere(src, (s) => s.clusters.size === 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects to the control plane over TLS (bootstrap channel_creds tls)', async () => {
    // A self-signed test-only certificate for 127.0.0.1 (test/fixtures/xds-tls, not a secret).
    const dir = path.join(__dirname, '../../../test/fixtures/xds-tls');
    const g = loadGrpc();
    const creds = g.ServerCredentials.createSsl(null, [
      { private_key: fs.readFileSync(path.join(dir, 'server-key.pem')), cert_chain: fs.readFileSync(path.join(dir, 'server-cert.pem')) },
    ]);
    const cp = await plane(canarySnapshot(), { credentials: creds });
    const src = source({
      bootstrap: cp.bootstrap({
        channelCreds: [{ type: 'google_default' }, { type: 'tls', config: { ca_certificate_file: path.join(dir, 'server-cert.pem') } }],
      }),
    });
    await src.start();
    src.watch('reviews:9080');
    await snapshotWhere(src, (s) => s.clusters.size === 2);
  });
});
