import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshClient } from '../../src/client/mesh-client';
import { diagnosticsChannels } from '../../src/client/client-diagnostics';
import { ErrorCode, MeshError } from '../../src/errors';

const yaml = (services: string[]) => `
services:
${services.map((s) => `  ${s}: {}`).join('\n')}
clusters:
${services.map((s, i) => `  ${s}:\n    endpoints: [ { host: 10.0.1.${i + 1}, port: 8080, labels: { version: v1 } } ]`).join('\n')}
`;

describe('MeshClient on the file source', () => {
  let dir: string;
  let file: string;
  let mesh: MeshClient | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sidecarless-file-client-'));
    file = join(dir, 'mesh.yaml');
    await writeFile(file, yaml(['reviews']));
  });
  afterEach(async () => {
    await mesh?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is ready for a target asked for right after construction (before the file was read)', async () => {
    mesh = new MeshClient({ file });
    assert.equal(mesh.isReady(), false);
    await mesh.ready(['reviews'], { timeoutMs: 5000 });
    assert.equal(mesh.isReady(), true);
    const r = mesh.pick('reviews');
    assert.ok(r.ok);
    assert.equal(r.endpoint.address, '10.0.1.1:8080');
  });

  it('serves a target that a later edit of the file adds', async () => {
    mesh = new MeshClient({ file });
    await mesh.ready(['reviews']);
    const before = mesh.pick('ratings');
    assert.equal(!before.ok && before.error.code, ErrorCode.DOES_NOT_EXIST);
    const updated = new Promise((resolve) => mesh!.once('update', resolve));
    await writeFile(file, yaml(['reviews', 'ratings']));
    await updated;
    const r = mesh.pick('ratings');
    assert.ok(r.ok);
    assert.equal(r.endpoint.address, '10.0.1.2:8080');
  });

  it('rejects an invalid edit (event and diagnostics channel) and keeps serving the last good state', async () => {
    const seen: string[] = [];
    const onUpdate = (m: unknown) => seen.push(`update:${(m as { source: string }).source}`);
    const onRejected = (m: unknown) => seen.push(`rejected:${(m as { error: MeshError }).error.field}`);
    diagnosticsChannels.update.subscribe(onUpdate);
    diagnosticsChannels.rejected.subscribe(onRejected);
    try {
      mesh = new MeshClient({ file });
      await mesh.ready(['reviews']);
      const rejected = new Promise<{ error: MeshError }>((resolve) => mesh!.once('rejected', resolve));
      await writeFile(file, yaml(['reviews']).replace('port: 8080', 'port: 70000'));
      const { error } = await rejected;
      assert.equal(error.code, ErrorCode.INVALID_CONFIG);
      assert.equal(error.field, 'clusters.reviews.endpoints[0].port');
      const r = mesh.pick('reviews');
      assert.ok(r.ok && r.endpoint.port === 8080, 'the last good state keeps serving');
      assert.deepEqual(seen, ['update:file', 'rejected:clusters.reviews.endpoints[0].port']);
    } finally {
      diagnosticsChannels.update.unsubscribe(onUpdate);
      diagnosticsChannels.rejected.unsubscribe(onRejected);
    }
  });

  it('fetch() routes through the mesh to a real loopback backend, keeping the Host header', async () => {
    const backend = createServer((req, res) => res.end(`hello from ${req.headers.host}`));
    backend.listen(0, '127.0.0.1');
    await once(backend, 'listening');
    try {
      const port = (backend.address() as AddressInfo).port;
      await writeFile(file, `services:\n  reviews: {}\nclusters:\n  reviews:\n    endpoints: [ "127.0.0.1:${port}" ]\n`);
      mesh = new MeshClient({ file });
      await mesh.ready(['reviews']);
      const res = await mesh.fetch('http://reviews/api');
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'hello from reviews');
      assert.equal(mesh.stats()[0]!.requestsTotal, 1);
    } finally {
      await mesh?.close();
      backend.close();
    }
  });

  it('lists every cluster with its endpoints', async () => {
    mesh = new MeshClient({ file });
    await mesh.ready(['reviews']);
    const [cluster] = mesh.clusters();
    assert.equal(cluster!.cluster, 'reviews');
    assert.equal(cluster!.source, 'file');
    assert.equal(cluster!.lbPolicy, 'round_robin');
    assert.deepEqual(
      cluster!.endpoints.map((e) => [e.address, e.health, e.weight, e.priority, e.labels.version, e.ejected]),
      [['10.0.1.1:8080', 'UNKNOWN', 1, 0, 'v1', false]],
    );
  });

  it('rejects ready() with MESH_ERR_DOES_NOT_EXIST for a name the synced file lacks', async () => {
    mesh = new MeshClient({ file });
    await assert.rejects(mesh.ready(['nope'], { timeoutMs: 5000 }), (e: unknown) => e instanceof MeshError && e.code === ErrorCode.DOES_NOT_EXIST);
  });
});
