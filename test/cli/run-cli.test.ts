import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { COMMANDS, runCli } from '../../src/cli/run-cli';
import { meshAdmin } from '../../src/integrations/express/index';
import { closedPort } from '../integrations/support/http-backend';
import { testMesh, testSnapshot } from '../integrations/support/mesh-fixture';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('sidecarless CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints usage with --help and for every command', async () => {
    const top = await cli('--help');
    assert.equal(top.code, 0);
    for (const c of COMMANDS) {
      assert.match(top.out, new RegExp(`^  ${c.name}\\s`, 'm'));
      const help = await cli(c.name, '--help');
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`^Usage: sidecarless ${c.name}`));
    }
    assert.equal((await cli()).code, 2);
    const unknown = await cli('launch');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "launch"/);
    assert.equal((await cli('validate', '--bogus')).code, 2);
  });

  it('validate exits 0 for a valid file and lists what it holds', async () => {
    const file = path.join(dir, 'ok.yaml');
    await writeFile(file, 'services:\n  reviews: {}\nclusters:\n  reviews:\n    endpoints: ["127.0.0.1:9080"]\n');
    const r = await cli('validate', file);
    assert.equal(r.code, 0);
    assert.match(r.out, /valid \(1 listeners: reviews; 1 clusters: reviews\)/);
    const json = JSON.parse((await cli('validate', '--json', file)).out) as { valid: boolean; clusters: string[] };
    assert.deepEqual([json.valid, json.clusters], [true, ['reviews']]);
  });

  it('validate exits 1 and names the offending field', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'clusters:\n  a:\n    endpoints: [{ host: 127.0.0.1, port: 70000 }]\n');
    const r = await cli('validate', file);
    assert.equal(r.code, 1);
    assert.match(r.err, /field: clusters\.a\.endpoints\[0\]\.port/);
    const json = JSON.parse((await cli('validate', '--json', file)).out) as { valid: boolean; field: string; code: string };
    assert.deepEqual([json.valid, json.field, json.code], [false, 'clusters.a.endpoints[0].port', 'MESH_ERR_INVALID_CONFIG']);
    assert.equal((await cli('validate', path.join(dir, 'missing.yaml'))).code, 1);
  });

  it('dump pretty-prints the config_dump of a running service', async () => {
    const { mesh } = await testMesh(testSnapshot([], []));
    const app = express();
    app.use('/mesh', meshAdmin(mesh));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const r = await cli('dump', `http://127.0.0.1:${(server.address() as AddressInfo).port}/mesh`);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), mesh.dump());
      assert.match(r.out, /^\{\n  "sources"/);
    } finally {
      server.close();
      await mesh.close();
    }
  });

  it('dump exits 1 when the service does not answer', async () => {
    const r = await cli('dump', `http://127.0.0.1:${await closedPort()}/`);
    assert.equal(r.code, 1);
    assert.match(r.err, /ECONNREFUSED/);
  });

  it('runs as a program with a shebang and sets the exit code', async () => {
    const main = path.join(__dirname, '../../src/cli/main.js');
    const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [main, 'validate', path.join(dir, 'nothere.yaml')], (error, stdout) =>
        resolve({ code: error ? Number(error.code) : 0, stdout }),
      ),
    );
    assert.equal(result.code, 1);
  });
});
