import assert from 'node:assert/strict';
import { MeshClient } from '../../src/client/mesh-client';
import type { PickResult } from '../../src/client/pick-result';
import { ErrorCode } from '../../src/errors';
import { createCluster } from '../../src/model/cluster';
import { createEndpoint } from '../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../src/model/mesh-snapshot';
import type { Listener } from '../../src/model/listener';
import { StaticSource } from '../../src/sources/static/static-source';
import { TypeUrl } from '../../src/sources/xds/type-urls';
import { XdsControlPlane } from '../../src/testing/xds-control-plane';
import { catchAllRoute, fakeClock, nextEvent } from '../sources/xds/xds-test-kit';

/** Services each with an inline `*` route to its own one-endpoint cluster. */
function services(...names: string[]): MeshSnapshot {
  const listeners: Listener[] = names.map((name) => ({
    name,
    routeTable: { name, virtualHosts: [{ name, domains: ['*'], routes: [catchAllRoute({ kind: 'cluster', cluster: `${name}-c` })] }] },
  }));
  return createMeshSnapshot({
    listeners,
    clusters: names.map((name, i) => createCluster({ name: `${name}-c`, endpoints: [createEndpoint({ host: `10.0.2.${i + 1}`, port: 80 })] })),
  });
}

function code(r: PickResult): string {
  return r.ok ? 'ok' : r.error.code;
}

interface TargetBound {
  watched: number;
  unresolved: number;
  maxUnresolved: number;
  forgotten: number;
  knownAbsent: number;
  maxKnownAbsent: number;
}

function dumpOf(mesh: MeshClient): { targets: string[]; bound: TargetBound; xdsTargets: string[]; ldsResources: string[] } {
  const d = mesh.dump() as {
    targets: Array<{ target: string }>;
    targetBound: TargetBound;
    sources: Array<{ scheme: string; state: { targets?: Record<string, string>; resources?: Array<{ type: string; name: string }> } }>;
  };
  const xds = d.sources.find((s) => s.scheme === 'xds')?.state;
  return {
    targets: d.targets.map((t) => t.target).sort(),
    bound: d.targetBound,
    xdsTargets: Object.keys(xds?.targets ?? {}).sort(),
    ldsResources: (xds?.resources ?? []).filter((r) => r.type === 'Listener').map((r) => r.name).sort(),
  };
}

/** Resolves on the first `update` after which `test()` holds (at once if it holds now). */
async function until(mesh: MeshClient, test: () => boolean): Promise<void> {
  if (!test()) await nextEvent(mesh, 'update', test);
}

for (const delta of [false, true]) {
  describe(`MeshClient target bound and negative cache on XdsControlPlane (${delta ? 'delta' : 'SotW'})`, () => {
    let cp: XdsControlPlane;
    let mesh: MeshClient | undefined;
    let clock: ReturnType<typeof fakeClock>;

    beforeEach(async () => {
      cp = new XdsControlPlane({ snapshot: services('reviews:9080') });
      await cp.start();
      clock = fakeClock();
    });
    afterEach(async () => {
      await mesh?.close();
      mesh = undefined;
      await cp.stop();
      clock.restore();
    });

    async function client(maxUnresolvedTargets?: number): Promise<MeshClient> {
      mesh = new MeshClient({
        xds: { bootstrap: cp.bootstrap(), delta, clock: clock.clock },
        ...(maxUnresolvedTargets === undefined ? {} : { maxUnresolvedTargets }),
      });
      await mesh.ready(['xds:///reviews:9080'], { timeoutMs: 5000 });
      return mesh;
    }

    /** The LDS names the control plane has for the client's open stream. */
    function ldsSubscription(): string[] {
      return [...(cp.streams.find((s) => s.open)?.subscriptions.get(TypeUrl.LISTENER) ?? [])].sort();
    }

    /** Resolves once the control plane's LDS subscription satisfies `test`. */
    async function ldsWhere(test: (names: string[]) => boolean): Promise<void> {
      if (!test(ldsSubscription())) await nextEvent(cp, 'request', () => test(ldsSubscription()));
    }

    /**
     * Picks `target` until the client says it does not exist. SotW gives no proof of absence: the
     * 15 s does-not-exist timer (fake clock) runs once the server has the subscription.
     */
    async function untilDoesNotExist(m: MeshClient, target: string, name: string): Promise<void> {
      assert.equal(code(m.pick(target)), ErrorCode.UNKNOWN_TARGET);
      if (!delta) {
        await ldsWhere((names) => names.includes(name));
        clock.tick(15_000);
      }
      await until(m, () => code(m.pick(target)) === ErrorCode.DOES_NOT_EXIST);
    }

    it('forgets the least recently picked unresolved targets beyond the bound and unsubscribes them', async () => {
      const m = await client(3);
      for (let i = 0; i < 10; i++) assert.equal(code(m.pick(`xds:///h${i}.example.com`)), ErrorCode.UNKNOWN_TARGET);
      const seen = dumpOf(m);
      assert.deepEqual(seen.targets, ['xds:///h7.example.com', 'xds:///h8.example.com', 'xds:///h9.example.com', 'xds:///reviews:9080']);
      assert.deepEqual(seen.xdsTargets, ['h7.example.com', 'h8.example.com', 'h9.example.com', 'reviews:9080']);
      assert.deepEqual(seen.bound, { watched: 4, unresolved: 3, maxUnresolved: 3, forgotten: 7, knownAbsent: 0, maxKnownAbsent: 30 });
      await ldsWhere((names) => names.length === 4);
      assert.deepEqual(ldsSubscription(), ['h7.example.com', 'h8.example.com', 'h9.example.com', 'reviews:9080']);
      assert.deepEqual(dumpOf(m).ldsResources, ['h7.example.com', 'h8.example.com', 'h9.example.com', 'reviews:9080']);
    });

    it('keeps a recently picked unresolved target and forgets the least recently picked one', async () => {
      const m = await client(3);
      for (const h of ['a', 'b', 'c']) m.pick(`${h}.example.com`);
      m.pick('a.example.com'); // a is now the most recent
      m.pick('d.example.com');
      assert.deepEqual(dumpOf(m).xdsTargets, ['a.example.com', 'c.example.com', 'd.example.com', 'reviews:9080']);
    });

    it('never forgets a resolved target that is in use, whatever the flood of unknown hosts', async () => {
      const m = await client(10);
      for (let i = 0; i < 2000; i++) {
        m.pick(`flood-${i}.example.com`);
        if (i % 100 === 0) assert.equal(code(m.pick('xds:///reviews:9080')), 'ok');
      }
      assert.equal(code(m.pick('xds:///reviews:9080')), 'ok');
      const seen = dumpOf(m);
      assert.equal(seen.bound.watched, 11);
      assert.equal(seen.bound.forgotten, 1990);
      assert.ok(seen.xdsTargets.includes('reviews:9080'));
      await ldsWhere((names) => names.length === 11);
      assert.ok(ldsSubscription().includes('reviews:9080'));
      assert.ok(ldsSubscription().includes('flood-1999.example.com'));
    });

    it('answers a host known not to exist at once, with one subscription, and routes it when a later push adds it', async () => {
      const m = await client();
      await untilDoesNotExist(m, 'api.github.com:443', 'api.github.com:443');
      const requests = cp.streams.find((s) => s.open)!.requests.length;
      for (let i = 0; i < 100; i++) assert.equal(code(m.pick('api.github.com:443')), ErrorCode.DOES_NOT_EXIST);
      assert.deepEqual(dumpOf(m).xdsTargets, ['api.github.com:443', 'reviews:9080'], 'still watched: a push can add it');
      // Picks subscribe nothing new: the next request the server sees is the one this push causes.
      cp.setSnapshot(services('reviews:9080', 'api.github.com:443'));
      await until(m, () => code(m.pick('api.github.com:443')) === 'ok');
      const lds = cp.streams.find((s) => s.open)!.requests.slice(requests).filter((r) => r.type_url === TypeUrl.LISTENER);
      for (const r of lds as Array<{ resource_names?: string[]; resource_names_subscribe?: string[] }>) {
        // SotW: the same two names again (an ACK); delta: nothing subscribed.
        if (delta) assert.deepEqual(r.resource_names_subscribe ?? [], []);
        else assert.deepEqual([...(r.resource_names ?? [])].sort(), ['api.github.com:443', 'reviews:9080']);
      }
    });

    it('remembers a forgotten host that does not exist by name only, and asks again once a source gains a listener', async () => {
      const m = await client(2);
      await untilDoesNotExist(m, 'ghost:80', 'ghost:80');
      m.pick('x.example.com');
      m.pick('y.example.com'); // pushes ghost out: its watch goes, its absence is remembered
      let seen = dumpOf(m);
      assert.ok(!seen.xdsTargets.includes('ghost:80'));
      assert.equal(seen.bound.knownAbsent, 1);
      for (let i = 0; i < 100; i++) assert.equal(code(m.pick('ghost:80')), ErrorCode.DOES_NOT_EXIST);
      seen = dumpOf(m);
      assert.ok(!seen.xdsTargets.includes('ghost:80'), 'a known absence subscribes nothing');
      assert.ok(!seen.targets.includes('ghost:80'));
      await ldsWhere((names) => !names.includes('ghost:80'));

      // x.example.com (still watched) appears, and so does ghost: the new listener clears the memory.
      cp.setSnapshot(services('reviews:9080', 'x.example.com', 'ghost:80'));
      await until(m, () => code(m.pick('x.example.com')) === 'ok');
      assert.equal(dumpOf(m).bound.knownAbsent, 0);
      assert.equal(code(m.pick('ghost:80')), ErrorCode.UNKNOWN_TARGET, 'subscribed again');
      await until(m, () => code(m.pick('ghost:80')) === 'ok');
    });

    it('keeps a target ready() waits for while other unknown hosts are picked', async () => {
      const m = await client(1);
      const ready = m.ready(['xds:///late:80'], { timeoutMs: 5000 });
      for (let i = 0; i < 20; i++) m.pick(`other-${i}.example.com`);
      assert.ok(dumpOf(m).xdsTargets.includes('late:80'));
      cp.setSnapshot(services('reviews:9080', 'late:80'));
      await ready;
      assert.equal(code(m.pick('xds:///late:80')), 'ok');
      // Once ready() is done the target is an ordinary one: resolved, so never forgotten.
      for (let i = 0; i < 20; i++) m.pick(`more-${i}.example.com`);
      assert.equal(code(m.pick('xds:///late:80')), 'ok');
    });

    it('unsubscribes a listener only when the last target string sharing it is forgotten', async () => {
      const m = await client(2);
      m.pick('ghost:80');
      m.pick('xds:///ghost:80');
      m.pick('z.example.com'); // forgets the bare name; the explicit one still watches ghost:80
      assert.ok(dumpOf(m).xdsTargets.includes('ghost:80'));
      m.pick('w.example.com'); // forgets xds:///ghost:80 too
      assert.ok(!dumpOf(m).xdsTargets.includes('ghost:80'));
      await ldsWhere((names) => !names.includes('ghost:80') && names.includes('w.example.com'));
    });
  });
}

describe('MeshClient maxUnresolvedTargets', () => {
  it('rejects a value that is not a positive integer, naming the option', () => {
    for (const bad of [0, -1, 1.5, '10', Number.NaN]) {
      assert.throws(
        () => new MeshClient({ sources: [new StaticSource(services('a'))], maxUnresolvedTargets: bad as number }),
        (e: { code?: string; field?: string }) => e.code === ErrorCode.INVALID_CONFIG && e.field === 'maxUnresolvedTargets',
      );
    }
  });

  it('defaults to 1,000 unresolved targets and 10,000 known-absent names', async () => {
    const source = new StaticSource(services('a'));
    const mesh = new MeshClient({ sources: [source] });
    try {
      await mesh.ready();
      for (let i = 0; i < 1500; i++) assert.equal(code(mesh.pick(`h${i}`)), ErrorCode.DOES_NOT_EXIST);
      const bound = (mesh.dump() as { targetBound: TargetBound }).targetBound;
      assert.deepEqual(bound, { watched: 1000, unresolved: 1000, maxUnresolved: 1000, forgotten: 500, knownAbsent: 500, maxKnownAbsent: 10_000 });
      assert.equal(code(mesh.pick('h0')), ErrorCode.DOES_NOT_EXIST, 'answered from the known-absent names');
      assert.equal(code(mesh.pick('a')), 'ok');
    } finally {
      await mesh.close();
    }
  });
});
