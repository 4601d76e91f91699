import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';

// Runs each example as its own process against the compiled package (dist/, built by `npm test`).
const ROOT = path.join(__dirname, '../../..');

function run(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

function percent(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  assert.ok(m, `${pattern} not found in:\n${text}`);
  return Number(m[1]);
}

describe('examples (smoke)', function () {
  this.timeout(60_000);

  it('fetch-basic fetches through the mesh', async () => {
    const r = await run('examples/fetch-basic/index.js');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^status 200: hello from hello\/greet/m);
    assert.match(r.stdout, /cluster hello: 1 request\(s\), 0 in flight/);
  });

  it('express-canary carries the canary header to the reviews call', async () => {
    const r = await run('examples/express-canary/index.js');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /GET \/productpage\s+-> reviews v1/);
    assert.match(r.stdout, /\(x-canary:true\) -> reviews v2 \(header seen by reviews: true\)/);
    assert.match(r.stdout, /GET \/mesh\/readyz\s+-> 200/);
    assert.match(r.stdout, /sidecarless_upstream_requests_total\{sidecarless_cluster="reviews-v2",sidecarless_source="file"\} 1/);
  });

  it('nest-app serves a route that calls through the injected mesh', async () => {
    const r = await run('examples/nest-app/index.js');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /GET \/ratings -> \{"stars":5/);
    assert.match(r.stdout, /app closed/);
  });

  it('grpc-weighted splits calls about 90/10', async () => {
    const r = await run('examples/grpc-weighted/index.js');
    assert.equal(r.code, 0, r.stderr);
    const v2 = percent(r.stdout, /v2 ([\d.]+)%/);
    assert.ok(v2 > 6 && v2 < 14, `v2 share ${v2}%`);
  });

  it('the demo shows the 90/10 split, the forced canary and the live 50/50 change, and exits 0', async () => {
    const r = await run('examples/demo/run.js');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Math.abs(percent(r.stdout, /^ {2}90\/10 canary\s+90\/10\s+[\d.]+%\s+([\d.]+)%$/m) - 10) < 4);
    assert.equal(percent(r.stdout, /^ {2}x-canary: true\s+0\/100\s+[\d.]+%\s+([\d.]+)%$/m), 100);
    assert.ok(Math.abs(percent(r.stdout, /^ {2}50\/50 after edit\s+50\/50\s+[\d.]+%\s+([\d.]+)%$/m) - 50) < 7);
    assert.match(r.stdout, /new rule applied \d+ ms after the write/);
  });
});
