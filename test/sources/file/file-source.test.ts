import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, InvalidConfigError, MeshError } from '../../../src/errors';
import type { MeshSnapshot } from '../../../src/model/mesh-snapshot';
import { FileSource } from '../../../src/sources/file/file-source';
import { ManualClock } from './manual-clock';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import type { SourceEvents } from '../../../src/sources/source';

const mesh = (port: number, service = 'reviews') =>
  `services: { ${service}: {} }\nclusters: { ${service}: { endpoints: ["127.0.0.1:${port}"] } }\n`;

function portOf(snapshot: MeshSnapshot, cluster = 'reviews'): number | undefined {
  return snapshot.clusters.get(cluster)?.priorities[0]?.localities[0]?.endpoints[0]?.port;
}

/** Resolves with the argument of the next `event`. */
function next(source: FileSource, event: 'changed'): Promise<MeshSnapshot>;
function next(source: FileSource, event: 'rejected' | 'error'): Promise<MeshError>;
function next(source: FileSource, event: keyof SourceEvents): Promise<unknown> {
  return new Promise((resolve) => source.once(event as 'changed', resolve));
}

describe('FileSource', () => {
  let dir: string;
  let file: string;
  const sources: FileSource[] = [];
  const open = (opts: Partial<ConstructorParameters<typeof FileSource>[0]> = {}) => {
    const s = new FileSource({ path: file, debounceMs: 20, pollIntervalMs: 100, ...opts });
    sources.push(s);
    return s;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidecarless-file-'));
    file = join(dir, 'mesh.yaml');
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the file on start and knows its listeners', async () => {
    writeFileSync(file, mesh(9081));
    const source = open();
    assert.equal(source.scheme, 'file');
    assert.equal(source.targetStatus('reviews'), 'requested');
    const changed = next(source, 'changed');
    await source.start();
    const snapshot = await changed;
    assert.equal(source.synced, true);
    assert.equal(source.snapshot, snapshot);
    assert.equal(portOf(snapshot), 9081);
    assert.equal(source.watch('reviews'), 'reviews');
    assert.equal(source.watch('///reviews'), 'reviews');
    assert.equal(source.watch('ratings'), 'ratings', 'a name not in the file yet may appear in a later edit');
    assert.equal(source.targetStatus('reviews'), 'exists');
    assert.equal(source.targetStatus('ratings'), 'doesNotExist');
    source.unwatch('ratings');
    const dump = source.dump();
    assert.equal(dump.version, snapshot.version);
    assert.deepEqual(dump.listeners, ['reviews']);
    assert.deepEqual(dump.watched, ['reviews']);
    assert.doesNotThrow(() => JSON.stringify(dump));
  });

  it('reads JSON files by extension', async () => {
    file = join(dir, 'mesh.json');
    writeFileSync(file, JSON.stringify({ clusters: { reviews: { endpoints: ['127.0.0.1:9090'] } } }));
    const source = open();
    await source.start();
    assert.equal(portOf(source.snapshot), 9090);
  });

  it('applies a valid edit within 1 s and emits changed', async () => {
    writeFileSync(file, mesh(9081));
    const source = open({ debounceMs: 50, pollIntervalMs: 500 });
    await source.start();
    const started = Date.now();
    const changed = next(source, 'changed');
    writeFileSync(file, mesh(9082));
    const snapshot = await changed;
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(portOf(snapshot), 9082);
    assert.equal(portOf(source.snapshot), 9082);
  });

  it('applies an editor-style atomic replace (write temp, rename over)', async () => {
    writeFileSync(file, mesh(9081));
    const source = open();
    await source.start();
    const changed = next(source, 'changed');
    writeFileSync(join(dir, '.mesh.yaml.swp'), mesh(9083));
    renameSync(join(dir, '.mesh.yaml.swp'), file);
    assert.equal(portOf(await changed), 9083);
  });

  it('rejects an invalid edit, keeps the last good snapshot, then accepts the fix', async () => {
    writeFileSync(file, mesh(9081));
    const source = open();
    await source.start();
    const good = source.snapshot;
    const rejected = next(source, 'rejected');
    writeFileSync(file, 'clusters: { reviews: { endpoints: [ { host: h, port: 0 } ] } }\n');
    const error = await rejected;
    assert.ok(error instanceof InvalidConfigError);
    assert.equal(error.code, ErrorCode.INVALID_CONFIG);
    assert.equal(error.field, 'clusters.reviews.endpoints[0].port');
    assert.equal(source.snapshot, good);
    assert.equal((source.dump().lastError as { field: string }).field, 'clusters.reviews.endpoints[0].port');

    const syntax = next(source, 'rejected');
    writeFileSync(file, 'clusters: [\n');
    assert.match((await syntax).message, /mesh\.yaml:\d+:\d+: /);
    assert.equal(source.snapshot, good);

    const changed = next(source, 'changed');
    writeFileSync(file, mesh(9085));
    assert.equal(portOf(await changed), 9085);
    assert.equal(source.dump().lastError, undefined);
  });

  it('keeps the last good state when the file is deleted, and picks it up when recreated', async () => {
    writeFileSync(file, mesh(9081));
    const source = open();
    await source.start();
    const good = source.snapshot;
    const errored = next(source, 'error');
    unlinkSync(file);
    const error = await errored;
    assert.ok(error instanceof MeshError);
    assert.equal(error.code, ErrorCode.SOURCE_FAILURE);
    assert.equal(source.snapshot, good);
    assert.equal(source.synced, true);
    assert.equal(source.dump().fileMissing, true);
    const changed = next(source, 'changed');
    writeFileSync(file, mesh(9086));
    assert.equal(portOf(await changed), 9086);
  });

  it('starts without the file, reports it, and loads it once it appears', async () => {
    const source = open();
    const errored = next(source, 'error');
    await source.start();
    assert.equal((await errored).code, ErrorCode.SOURCE_FAILURE);
    assert.equal(source.synced, false);
    assert.equal(source.targetStatus('reviews'), 'requested');
    const changed = next(source, 'changed');
    writeFileSync(file, mesh(9087));
    assert.equal(portOf(await changed), 9087);
    assert.equal(source.targetStatus('reviews'), 'exists');
  });

  it('serves a restored snapshot until the file is read, announcing it asynchronously', async () => {
    const cached = parseMeshConfig(mesh(7000));
    const source = open();
    let events = 0;
    source.on('changed', () => events++);
    source.restore(cached);
    assert.equal(events, 0, 'changed must not fire synchronously');
    assert.equal(source.snapshot, cached);
    assert.equal(source.synced, true);
    assert.equal(source.watch('reviews'), 'reviews');
    await Promise.resolve();
    assert.equal(events, 1);
    writeFileSync(file, mesh(9088));
    const changed = next(source, 'changed');
    await source.start();
    assert.equal(portOf(await changed), 9088);
    source.restore(cached);
    assert.equal(portOf(source.snapshot), 9088, 'restore is ignored once the source has its own state');
  });

  it('does not re-emit when the content is rewritten unchanged', async () => {
    writeFileSync(file, mesh(9081));
    const clock = new ManualClock();
    const source = open({ clock, debounceMs: 7, pollIntervalMs: 1000 });
    await source.start();
    let changes = 0;
    source.on('changed', () => changes++);
    writeFileSync(file, `# a comment\n${mesh(9081)}`);
    await clock.armed(1000);
    clock.fire(1000);
    await clock.armed(7);
    clock.fire(7);
    await clock.armed(1000); // the poll re-arms after the reload has settled the stat signature
    await source.close();
    assert.equal(changes, 0);
  });

  it('notices changes through the stat poll and debounces bursts into one read', async () => {
    writeFileSync(file, mesh(9081));
    const clock = new ManualClock();
    const source = open({ clock, debounceMs: 7, pollIntervalMs: 1000 });
    await source.start();
    assert.ok(clock.pending(1000), 'the poll is armed');
    let changes = 0;
    source.on('changed', () => changes++);
    writeFileSync(file, mesh(9091));
    writeFileSync(file, mesh(9092));
    clock.fire(1000);
    await clock.armed(7);
    const changed = next(source, 'changed');
    clock.fire(7);
    assert.equal(portOf(await changed), 9092);
    assert.equal(changes, 1);
  });

  it('closes idempotently and disarms its timers', async () => {
    writeFileSync(file, mesh(9081));
    const clock = new ManualClock();
    const source = open({ clock });
    await source.start();
    await source.close();
    await source.close();
    assert.equal(clock.timers.size, 0);
    await source.start();
    assert.equal(clock.timers.size, 0, 'start after close does nothing');
  });

  it('validates its options', () => {
    assert.throws(() => new FileSource({ path: '' }), (e: MeshError) => e.code === ErrorCode.INVALID_CONFIG && e.field === 'file.path');
    assert.throws(() => new FileSource({ path: 'x', debounceMs: -1 }), (e: MeshError) => e.field === 'file.debounceMs');
    assert.throws(() => new FileSource({ path: 'x', pollIntervalMs: 0 }), (e: MeshError) => e.field === 'file.pollIntervalMs');
  });
});

