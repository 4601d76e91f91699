import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LastGoodStore } from '../../src/cache/last-good-store';
import { ErrorCode } from '../../src/errors';
import { FileSource } from '../../src/sources/file/file-source';
import { parseMeshConfig } from '../../src/sources/file/mesh-config';
import { ManualClock } from '../sources/file/manual-clock';

const snap = (port: number) => parseMeshConfig(`services: { reviews: {} }\nclusters: { reviews: { endpoints: ["127.0.0.1:${port}"] } }`);

describe('LastGoodStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidecarless-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads a snapshot per source key', async () => {
    const store = new LastGoodStore(join(dir, 'nested', 'cache'), { writeDelayMs: 0 });
    const a = snap(1);
    const b = snap(2);
    assert.equal(await store.save('xds:istiod', a), undefined);
    assert.equal(await store.save('file:/m.yaml', b), undefined);
    const la = await store.load('xds:istiod');
    assert.deepEqual(la.snapshot, a);
    assert.ok(la.savedAt instanceof Date);
    assert.deepEqual((await store.load('file:/m.yaml')).snapshot, b);
    assert.deepEqual(await store.load('nacos:other'), { snapshot: undefined });
    await store.close();
  });

  it('coalesces a burst of saves into one write of the latest snapshot', async () => {
    const clock = new ManualClock();
    const store = new LastGoodStore(dir, { writeDelayMs: 50, clock });
    const saves = [store.save('k', snap(1)), store.save('k', snap(2)), store.save('k', snap(3))];
    assert.equal(clock.timers.size, 1, 'one timer for the burst');
    assert.deepEqual(readdirSync(dir), [], 'nothing written before the delay');
    clock.fire(50);
    assert.deepEqual(await Promise.all(saves), [undefined, undefined, undefined]);
    assert.deepEqual(readdirSync(dir), [store.fileFor('k').slice(dir.length + 1)]);
    const loaded = await store.load('k');
    assert.equal(loaded.snapshot?.clusters.get('reviews')?.priorities[0]?.localities[0]?.endpoints[0]?.port, 3);
    await store.close();
  });

  it('replaces the file atomically and leaves no temp files', async () => {
    const store = new LastGoodStore(dir, { writeDelayMs: 0 });
    await store.save('k', snap(1));
    await Promise.all([store.save('k', snap(2)), store.flush()]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    assert.equal(readdirSync(dir).length, 1);
    assert.deepEqual((await store.load('k')).snapshot, snap(2));
    await store.close();
  });

  it('reports a corrupt file in the result and never throws', async () => {
    const store = new LastGoodStore(dir);
    writeFileSync(store.fileFor('k'), '{"format":"sidecarless.snapshot","formatVersion":1,"trunc');
    const result = await store.load('k');
    assert.equal(result.snapshot, undefined);
    assert.equal(result.error?.code, ErrorCode.CACHE_CORRUPT);
    writeFileSync(store.fileFor('k'), JSON.stringify({ format: 'sidecarless.snapshot', formatVersion: 1 }));
    const shape = await store.load('k');
    assert.equal(shape.error?.code, ErrorCode.CACHE_CORRUPT);
    assert.equal(shape.error?.field, '.sourceKey');
    await store.close();
  });

  it('rejects a file that belongs to another source', async () => {
    const store = new LastGoodStore(dir, { writeDelayMs: 0 });
    await store.save('a', snap(1));
    copyFileSync(store.fileFor('a'), store.fileFor('b'));
    const result = await store.load('b');
    assert.equal(result.snapshot, undefined);
    assert.equal(result.error?.code, ErrorCode.CACHE_CORRUPT);
    await store.close();
  });

  it('returns write failures instead of throwing', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const store = new LastGoodStore(blocker, { writeDelayMs: 0 });
    const error = await store.save('k', snap(1));
    assert.equal(error?.code, ErrorCode.CACHE_WRITE_FAILED);
    await store.close();
    assert.equal((await store.save('k', snap(1)))?.code, ErrorCode.CLOSED);
  });

  it('validates its options', () => {
    assert.throws(() => new LastGoodStore(''), { code: ErrorCode.INVALID_CONFIG });
    assert.throws(() => new LastGoodStore(dir, { writeDelayMs: -1 }), { code: ErrorCode.INVALID_CONFIG });
  });

  it('lets a file source restart from the cache when its file is gone', async () => {
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, `services: { reviews: {} }\nclusters: { reviews: { endpoints: ["127.0.0.1:9081"] } }\n`);
    const store = new LastGoodStore(join(dir, 'cache'), { writeDelayMs: 0 });
    const first = new FileSource({ path: file });
    first.on('changed', (s) => void store.save(`file:${first.path}`, s));
    await first.start();
    await first.close();
    await store.close();
    rmSync(file);

    const restarted = new FileSource({ path: file });
    const cached = await new LastGoodStore(join(dir, 'cache')).load(`file:${restarted.path}`);
    assert.ok(cached.snapshot);
    restarted.restore(cached.snapshot);
    const errored = new Promise((resolve) => restarted.once('error', resolve));
    await restarted.start();
    await errored;
    assert.equal(restarted.synced, true);
    assert.equal(restarted.watch('reviews'), 'reviews');
    assert.equal(restarted.snapshot.clusters.get('reviews')?.priorities[0]?.localities[0]?.endpoints[0]?.port, 9081);
    await restarted.close();
  });
});
