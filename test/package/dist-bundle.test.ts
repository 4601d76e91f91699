import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';

// The published dist/ (built by `npm test`'s pretest: tsc, then scripts/bundle-dist.js).
const ROOT = path.join(__dirname, '../../..');
const DIST = path.join(ROOT, 'dist');

/** Runs `code` in a fresh Node process from the package root; resolves with its stdout. */
function node(code: string, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [...args, '-e', code], { cwd: ROOT, timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

describe('the built package (dist/)', function () {
  this.timeout(30_000);

  it('loads the root entry from two files: its stub and the core bundle', async () => {
    const out = await node(`
      const Module = require('node:module');
      const seen = [];
      const load = Module._extensions['.js'];
      Module._extensions['.js'] = function (m, file) { if (file.startsWith(${JSON.stringify(DIST)})) seen.push(require('node:path').relative(${JSON.stringify(DIST)}, file)); return load.call(this, m, file); };
      require('./dist/index.js');
      process.stdout.write(JSON.stringify(seen));
    `);
    assert.deepEqual(JSON.parse(out), ['index.js', 'bundles/core.js']);
  });

  it('shares one instance of every module among the subpath exports and deep imports', async () => {
    const out = await node(`
      const root = require('./dist/index.js');
      const checks = {
        deepMeshClient: require('./dist/client/mesh-client.js').MeshClient === root.MeshClient,
        deepErrors: require('./dist/errors.js').MeshError === root.MeshError,
        experimental: require('./dist/experimental.js').StaticSource === require('./dist/sources/static/static-source.js').StaticSource,
        testing: typeof require('./dist/testing/index.js').XdsControlPlane === 'function',
        undici: typeof require('./dist/integrations/undici/index.js').createMeshDispatcher === 'function',
        className: root.MeshClient.name === 'MeshClient' && new root.MeshError('MESH_ERR_X', 'm').name === 'MeshError',
      };
      process.stdout.write(JSON.stringify(checks));
    `);
    assert.deepEqual(JSON.parse(out), { deepMeshClient: true, deepErrors: true, experimental: true, testing: true, undici: true, className: true });
  });

  it('maps stack traces to the TypeScript sources with --enable-source-maps', async () => {
    const out = await node(`try { new (require('./dist/index.js').MeshClient)({ noSuchOption: 1 }); } catch (e) { process.stdout.write(e.stack); }`, ['--enable-source-maps']);
    assert.match(out, /^InvalidConfigError: noSuchOption/);
    assert.match(out, /src\/client\/mesh-client-options\.ts:\d+/);
  });
});
