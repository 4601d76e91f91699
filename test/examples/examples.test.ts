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

  it('nacos-interop registers itself, finds the Java service and follows the canary rule from Nacos config', async () => {
    const r = await run('examples/nacos-interop/index.js');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Java app "orders" v1 registered at 127\.0\.0\.1:\d+/);
    assert.match(r.stdout, /Node app "frontend" registered itself: 127\.0\.0\.1:\d+/);
    assert.ok(Math.abs(percent(r.stdout, /calls to http:\/\/orders\/api\/orders\/7: v1 [\d.]+%, v2 ([\d.]+)% \(rule 80\/20\)/) - 20) <= 5);
    assert.match(r.stdout, /100 calls with x-canary: true: v2 100\/100/);
  });

  it('the demo runs the xDS and Nacos phases, prints the summary and exits 0', async () => {
    const r = await run('examples/demo/run.js');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // One summary row: phase, protocol, calls, expected, v1 %, v2 %, failed, check.
    const v2 = (phase: string, protocol: string, expected: string): number =>
      percent(r.stdout, new RegExp(`^ {2}${phase}\\s+${protocol}\\s+\\d+\\s+${expected}\\s+[\\d.]+%\\s+([\\d.]+)%\\s+0\\s+ok$`, 'm'));
    for (const protocol of ['HTTP', 'gRPC']) {
      assert.ok(Math.abs(v2('1 canary 90/10', protocol, '90/10') - 10) <= 5);
      assert.equal(v2('2 x-canary: true', protocol, '0/100'), 100);
      assert.ok(Math.abs(v2('3 after push 50/50', protocol, '50/50') - 50) <= 5);
      assert.ok(Math.abs(v2('4 control plane down', protocol, '50/50') - 50) <= 5);
    }
    assert.ok(Math.abs(v2('4 new app from disk cache', 'HTTP', '50/50') - 50) <= 5);
    assert.match(r.stdout, /^ {2}5 Nacos "Java" service\s+HTTP\s+500\s+all OK\s+-\s+-\s+0\s+ok$/m);
    assert.match(r.stdout, /push to first 50\/50 pick: [\d.]+ ms \(control plane parse \+ encode before it: [\d.]+ ms\)/);
    assert.match(r.stdout, /labels version=1\.4\.2, preserved\.register\.source=SPRING_CLOUD/);
    assert.match(r.stdout, /^all phases within ±5 points of the rules, no failed calls; done in [\d.]+ s$/m);
  });
});
