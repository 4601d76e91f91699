import * as assert from 'node:assert/strict';
import { ErrorCode, type MeshError } from '../../../src/errors';
import { TypeUrl } from '../../../src/sources/xds/type-urls';
import { XdsSource } from '../../../src/sources/xds/xds-source';
import { fakeClock, nextEvent, RawAdsServer, res, snapshotWhere, type RawStream } from './xds-test-kit';

const L = TypeUrl.LISTENER;
const R = TypeUrl.ROUTE_CONFIGURATION;
const C = TypeUrl.CLUSTER;
const E = TypeUrl.CLUSTER_LOAD_ASSIGNMENT;

describe('xDS SotW conformance (xds-reference §7)', () => {
  let server: RawAdsServer;
  let source: XdsSource | undefined;
  let restoreClock: (() => void) | undefined;

  beforeEach(async () => {
    server = new RawAdsServer();
    await server.start();
  });
  afterEach(async () => {
    await source?.close();
    source = undefined;
    server.stop();
    restoreClock?.();
    restoreClock = undefined;
  });

  async function connect(features?: string[], extra: { resourceTimeoutMs?: number } = {}): Promise<RawStream> {
    const fake = fakeClock();
    restoreClock = fake.restore;
    source = new XdsSource({ bootstrap: server.bootstrap(features), clock: fake.clock, ...extra });
    source.on('error', () => undefined);
    source.on('rejected', () => undefined);
    await source.start();
    source.watch('xds:///reviews:9080');
    return server.stream(0);
  }

  /** Serves the chain reviews:9080 → rt → clusters → endpoints and acks it all. */
  async function serveChain(s: RawStream, clusters: string[]): Promise<void> {
    await s.next(L);
    s.send({ version_info: '1', nonce: 'l1', type_url: L, resources: [res.listener('reviews:9080', 'rt')] });
    await s.next(R);
    s.send({ version_info: '1', nonce: 'r1', type_url: R, resources: [res.routes('rt', clusters)] });
    await s.next(C);
    s.send({ version_info: '1', nonce: 'c1', type_url: C, resources: clusters.map((c) => res.cluster(c)) });
    await s.next(E);
    s.send({ version_info: '1', nonce: 'e1', type_url: E, resources: clusters.map((c, i) => res.endpoints(c, [`10.0.0.${i + 1}`])) });
    await snapshotWhere(source!, (snap) => clusters.every((c) => (snap.clusters.get(c)?.priorities.length ?? 0) > 0));
  }

  it('1. first request carries node, user agent, client features and the target name', async () => {
    const s = await connect();
    const first = await s.next();
    assert.equal(first.type_url, L);
    assert.deepEqual(first.resource_names, ['reviews:9080']);
    assert.equal(first.version_info ?? '', '');
    assert.equal(first.response_nonce ?? '', '');
    assert.equal(first.node?.id, 'sidecar~127.0.0.1~app-1.default~default.svc.cluster.local');
    assert.equal(first.node?.metadata?.fields?.GENERATOR?.stringValue, 'grpc');
    assert.equal(first.node?.user_agent_name, 'sidecarless');
    assert.ok(first.node?.user_agent_version);
    assert.ok(first.node?.client_features?.includes('envoy.lb.does_not_support_overprovisioning'));
  });

  it('2. ACK: the next LDS request echoes version and nonce without error_detail', async () => {
    const s = await connect();
    await s.next(L);
    s.send({ version_info: 'v1', nonce: 'n1', type_url: L, resources: [res.listener('reviews:9080', 'rt')] });
    const ack = await s.next(L);
    assert.equal(ack.version_info, 'v1');
    assert.equal(ack.response_nonce, 'n1');
    assert.equal(ack.error_detail, undefined);
    assert.deepEqual(ack.resource_names, ['reviews:9080']);
  });

  it('3. NACK keeps the old version and the old config', async () => {
    const s = await connect();
    await serveChain(s, ['c']);
    await s.next(C); // ACK of c1
    s.send({ version_info: 'v2', nonce: 'c2', type_url: C, resources: [res.cluster('c', { lb_policy: 'MAGLEV' })] });
    const nack = await s.next(C);
    assert.equal(nack.version_info, '1');
    assert.equal(nack.response_nonce, 'c2');
    assert.ok(nack.error_detail);
    assert.match(nack.error_detail.message ?? '', /"c"/);
    assert.equal(source!.snapshot.clusters.get('c')?.lbPolicy.name, 'round_robin');
    const status = (source!.dump().resources as { type: string; name: string; status: string; version: string }[]).find(
      (r) => r.type === 'Cluster' && r.name === 'c',
    );
    assert.equal(status?.status, 'nacked');
    assert.equal(status?.version, '1');
  });

  it('4. partial NACK (A46): valid resources of a rejected response are used', async () => {
    const s = await connect();
    await serveChain(s, ['a', 'b']);
    await s.next(C);
    const rejected = new Promise<MeshError>((resolve) => source!.once('rejected', resolve));
    s.send({
      version_info: '2',
      nonce: 'c2',
      type_url: C,
      resources: [res.cluster('a', { lb_policy: 'LEAST_REQUEST' }), res.cluster('b', { lb_policy: 'MAGLEV' })],
    });
    const nack = await s.next(C);
    assert.ok(nack.error_detail);
    assert.match(nack.error_detail.message ?? '', /"b"/);
    assert.doesNotMatch(nack.error_detail.message ?? '', /"a"/);
    const err = await rejected;
    assert.equal(err.code, ErrorCode.NACKED);
    const snap = await snapshotWhere(source!, (x) => x.clusters.get('a')?.lbPolicy.name === 'least_request');
    assert.equal(snap.clusters.get('b')?.lbPolicy.name, 'round_robin', 'b keeps its previous version');
  });

  it('4b. partial NACK: an invalid resource with no previous version reports an error to its watchers', async () => {
    const s = await connect();
    await s.next(L);
    const rejected = new Promise<MeshError>((resolve) => source!.once('rejected', resolve));
    s.send({ version_info: '1', nonce: 'l1', type_url: L, resources: [res.any(L, { name: 'reviews:9080' })] });
    const err = await rejected;
    assert.equal(err.code, ErrorCode.NACKED);
    assert.match(err.message, /api_listener/);
    const nack = await s.next(L);
    assert.ok(nack.error_detail);
  });

  it('5. a response naming the same resource twice is NACKed', async () => {
    const s = await connect();
    await s.next(L);
    const l = res.listener('reviews:9080', 'rt');
    s.send({ version_info: '1', nonce: 'l1', type_url: L, resources: [l, l] });
    const nack = await s.next(L);
    assert.match(nack.error_detail?.message ?? '', /duplicate/);
    assert.equal(nack.version_info ?? '', '');
  });

  it('6. unrequested resources are ignored and the response is ACKed', async () => {
    const s = await connect();
    await s.next(L);
    s.send({
      version_info: '1',
      nonce: 'l1',
      type_url: L,
      resources: [res.listener('reviews:9080', 'rt'), res.listener('other:1', 'x'), res.any(L, { name: 'junk:1' })],
    });
    const ack = await s.next(L);
    assert.equal(ack.error_detail, undefined);
    assert.equal(ack.version_info, '1');
    const rds = await s.next(R);
    assert.deepEqual(rds.resource_names, ['rt']);
  });

  it('7. dependency chain: LDS → RDS → CDS (both weighted entries) → EDS, each requested once with the full set', async () => {
    const s = await connect();
    await serveChain(s, ['v1', 'v2']);
    const all = s.received;
    const subscribes = (t: string) => all.filter((r) => r.type_url === t && !r.response_nonce);
    assert.deepEqual(subscribes(L).map((r) => r.resource_names), [['reviews:9080']]);
    assert.deepEqual(subscribes(R).map((r) => r.resource_names), [['rt']]);
    assert.deepEqual(subscribes(C).map((r) => [...(r.resource_names ?? [])].sort()), [['v1', 'v2']]);
    assert.deepEqual(subscribes(E).map((r) => [...(r.resource_names ?? [])].sort()), [['v1', 'v2']]);
    const snap = source!.snapshot;
    assert.equal(snap.listeners.get('reviews:9080')?.routeTableName, 'rt');
    assert.deepEqual([...snap.clusters.keys()].sort(), ['v1', 'v2']);
  });

  it('8. inline route_config: no RDS request is sent', async () => {
    const s = await connect();
    await s.next(L);
    const inline = res.any(L, {
      name: 'reviews:9080',
      api_listener: {
        api_listener: res.any(TypeUrl.HTTP_CONNECTION_MANAGER, {
          route_config: {
            name: 'inline',
            virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] }],
          },
          http_filters: [{ name: 'router', typed_config: res.any(TypeUrl.ROUTER, {}) }],
        }),
      },
    });
    s.send({ version_info: '1', nonce: 'l1', type_url: L, resources: [inline] });
    const cds = await s.next(C);
    assert.deepEqual(cds.resource_names, ['c']);
    assert.equal(s.received.filter((r) => r.type_url === R).length, 0);
  });

  it('9. unsubscribe: a cluster no longer referenced leaves the CDS and EDS requests and the cache', async () => {
    const s = await connect();
    await serveChain(s, ['keep', 'old']);
    await s.next(R);
    s.send({ version_info: '2', nonce: 'r2', type_url: R, resources: [res.routes('rt', ['keep'])] });
    const cds = await s.next(C);
    const cdsChange = cds.response_nonce === 'c1' && cds.resource_names?.length === 1 ? cds : await s.next(C);
    assert.deepEqual(cdsChange.resource_names, ['keep']);
    const eds = await s.next(E);
    const edsChange = eds.resource_names?.length === 1 ? eds : await s.next(E);
    assert.deepEqual(edsChange.resource_names, ['keep']);
    const names = (source!.dump().resources as { name: string }[]).map((r) => r.name);
    assert.ok(!names.includes('old'));
    const snap = await snapshotWhere(source!, (x) => !x.clusters.has('old'));
    assert.ok(snap.clusters.has('keep'));
  });

  it('10. SotW deletion: LDS/CDS absence deletes, RDS/EDS absence does not', async () => {
    const s = await connect();
    await serveChain(s, ['a', 'b']);
    // EDS response without "b": nothing deleted.
    s.send({ version_info: '2', nonce: 'e2', type_url: E, resources: [res.endpoints('a', ['10.9.9.9'])] });
    await snapshotWhere(source!, (x) => x.clusters.get('a')?.priorities[0]?.localities[0]?.endpoints[0]?.host === '10.9.9.9');
    assert.equal(source!.snapshot.clusters.get('b')?.priorities[0]?.localities[0]?.endpoints.length, 1);
    // CDS response without "b": b deleted.
    s.send({ version_info: '2', nonce: 'c2', type_url: C, resources: [res.cluster('a')] });
    await snapshotWhere(source!, (x) => !x.clusters.has('b'));
    assert.equal(source!.client.status(C, 'b'), 'doesNotExist');
  });

  it('10b. with ignore_resource_deletion, LDS/CDS absence keeps the cached resource', async () => {
    const s = await connect(['xds_v3', 'ignore_resource_deletion']);
    await serveChain(s, ['a', 'b']);
    s.send({ version_info: '2', nonce: 'c2', type_url: C, resources: [res.cluster('a')] });
    const ack = await s.next(C);
    const ack2 = ack.response_nonce === 'c2' ? ack : await s.next(C);
    assert.equal(ack2.response_nonce, 'c2');
    assert.equal(source!.client.status(C, 'b'), 'acked');
    assert.ok(source!.snapshot.clusters.has('b'));
  });

  it('11. does-not-exist timer: 15 s after the EDS request on a connected stream; recovery when it arrives', async () => {
    const fake = fakeClock();
    restoreClock = fake.restore;
    source = new XdsSource({ bootstrap: server.bootstrap(), clock: fake.clock });
    source.on('error', () => undefined);
    await source.start();
    source.watch('reviews:9080');
    const s = await server.stream(0);
    await s.next(L);
    s.send({ version_info: '1', nonce: 'l1', type_url: L, resources: [res.listener('reviews:9080', 'rt')] });
    await s.next(R);
    s.send({ version_info: '1', nonce: 'r1', type_url: R, resources: [res.routes('rt', ['c'])] });
    await s.next(C);
    s.send({ version_info: '1', nonce: 'c1', type_url: C, resources: [res.cluster('c')] });
    await s.next(E);
    fake.tick(14_999);
    assert.equal(source.client.status(E, 'c'), 'requested');
    assert.equal(source.snapshot.listeners.size, 0, 'not complete before the timer');
    fake.tick(1);
    assert.equal(source.client.status(E, 'c'), 'doesNotExist');
    const snap = await snapshotWhere(source, (x) => x.clusters.has('c'));
    assert.equal(snap.clusters.get('c')!.priorities.length, 0, 'cluster without endpoints');
    s.send({ version_info: '1', nonce: 'e1', type_url: E, resources: [res.endpoints('c', ['10.0.0.7'])] });
    await snapshotWhere(source, (x) => (x.clusters.get('c')?.priorities.length ?? 0) > 0);
    assert.equal(source.client.status(E, 'c'), 'acked');
  });

  it('11b. the timer does not run while the stream is not connected (A57)', async () => {
    const fake = fakeClock();
    restoreClock = fake.restore;
    server.stop(); // nothing listens: the stream never connects
    source = new XdsSource({ bootstrap: server.bootstrap(), clock: fake.clock });
    source.on('error', () => undefined);
    await source.start();
    source.watch('reviews:9080');
    await nextEvent(source, 'error');
    fake.tick(15_000);
    assert.equal(source.client.status(L, 'reviews:9080'), 'requested');
  });

  it('12. reconnect: immediate after a response, resending every type with last versions and no nonce', async () => {
    const s = await connect();
    await serveChain(s, ['v1', 'v2']);
    s.end();
    const s2 = await server.stream(1);
    const reqs = [await s2.next(), await s2.next(), await s2.next(), await s2.next()];
    const byType = new Map(reqs.map((r) => [r.type_url, r]));
    assert.ok(reqs[0]!.node, 'node on the first request of the new stream');
    for (const t of [L, R, C, E]) {
      assert.equal(byType.get(t)?.version_info, '1', t);
      assert.equal(byType.get(t)?.response_nonce ?? '', '', t);
    }
    assert.deepEqual([...(byType.get(C)!.resource_names ?? [])].sort(), ['v1', 'v2']);
    assert.ok(source!.snapshot.clusters.has('v1'), 'cache keeps serving');
  });

  it('12b. failures before any response retry after 1 s ×1.6 ±20 % backoff', async () => {
    const fake = fakeClock();
    restoreClock = fake.restore;
    const delays: number[] = [];
    const clock = {
      now: fake.clock.now,
      clearTimeout: fake.clock.clearTimeout,
      setTimeout: (fn: () => void, ms: number) => {
        delays.push(ms);
        return fake.clock.setTimeout(fn, ms);
      },
    };
    server.stop();
    source = new XdsSource({ bootstrap: server.bootstrap(), clock, random: () => 0.5 });
    let errors = 0;
    source.on('error', () => errors++);
    await source.start();
    source.watch('reviews:9080');
    for (let i = 0; i < 4; i++) {
      await nextEvent(source, 'error');
      fake.tick(delays[delays.length - 1]!);
    }
    assert.deepEqual(delays.slice(0, 4), [1000, 1600, 2560, 4096]);
    assert.ok(errors >= 4);
  });

  it('13. istiod stale-nonce rule: a subscription change carries the latest nonce and never rides on a NACK', async () => {
    const s = await connect();
    await serveChain(s, ['a']);
    await s.next(R); // ack r1
    // One RDS response that is invalid for route table "rt" but (A46) — nothing else changes: NACK only.
    s.send({ version_info: '2', nonce: 'r2', type_url: R, resources: [res.any(R, { name: 'rt', virtual_hosts: [{ routes: [{}] }] })] });
    const nack = await s.next(R);
    assert.ok(nack.error_detail);
    assert.deepEqual(nack.resource_names, ['rt']);
    // A new valid version referencing a new cluster: the CDS change goes with CDS's latest nonce.
    s.send({ version_info: '3', nonce: 'r3', type_url: R, resources: [res.routes('rt', ['a', 'b'])] });
    const change = await s.next(C);
    const cdsChange = change.resource_names?.length === 2 ? change : await s.next(C);
    assert.equal(cdsChange.response_nonce, 'c1');
    assert.equal(cdsChange.error_detail, undefined);
    assert.deepEqual([...(cdsChange.resource_names ?? [])].sort(), ['a', 'b']);
  });
});
