import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeshClient } from '../../src/client/mesh-client';

const MAIN = path.join(__dirname, '../../src/cli/main.js');

function meshYaml(port: number): string {
  return `services:\n  reviews: {}\nclusters:\n  reviews:\n    endpoints: ["127.0.0.1:${port}"]\n`;
}

describe('sidecarless control-plane', () => {
  it('serves the file over xDS, re-serves edits, and stops on SIGTERM', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-cp-'));
    const file = path.join(dir, 'mesh.yaml');
    await writeFile(file, meshYaml(9001));
    const child = spawn(process.execPath, [MAIN, 'control-plane', file, '--xds-port', '0', '--nacos-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /xDS control plane on (\S+);/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const mesh = new MeshClient({
      xds: { bootstrap: { xds_servers: [{ server_uri: address, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }], node: { id: 'cli-test' } } },
    });
    try {
      await mesh.ready(['reviews'], { timeoutMs: 5000 });
      const first = mesh.pick('reviews');
      assert.ok(first.ok);
      assert.equal(first.endpoint.port, 9001);
      first.done();
      const updated = new Promise<void>((resolve) => mesh.once('update', () => resolve()));
      await writeFile(file, meshYaml(9002));
      await updated;
      const second = mesh.pick('reviews');
      assert.ok(second.ok);
      assert.equal(second.endpoint.port, 9002);
      second.done();
    } finally {
      await mesh.close();
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 0);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 for an invalid file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-cp-'));
    const file = path.join(dir, 'mesh.yaml');
    await writeFile(file, 'clusters: [1]\n');
    const child = spawn(process.execPath, [MAIN, 'control-plane', file, '--xds-port', '0', '--no-nacos'], { stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    await rm(dir, { recursive: true, force: true });
  });
});
