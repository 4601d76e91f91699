#!/usr/bin/env node
// sidecarless demo: a 90/10 canary, a header-forced canary and a live rule change, all in one
// process on loopback. Run with `npm run demo` (it builds first). Exits 0 by itself.
'use strict';

const http = require('node:http');
const { once } = require('node:events');
const { mkdtemp, writeFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');

const { MeshClient } = require('../../dist/client/mesh-client.js');
const { createMeshFetch } = require('../../dist/integrations/undici/index.js');

const REQUESTS = 1000;
const CONCURRENCY = 20;

async function startBackend(version) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ service: 'reviews', version, host: req.headers.host }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { version, port: server.address().port, server };
}

function meshYaml(v1Port, v2Port, v1Weight, v2Weight) {
  return `# written by examples/demo/run.js
services:
  reviews:
    routes:
      - name: testers-get-v2
        match: { headers: { x-canary: "true" } }
        route: { cluster: reviews-v2 }
      - name: canary
        route:
          weighted:
            - { cluster: reviews-v1, weight: ${v1Weight} }
            - { cluster: reviews-v2, weight: ${v2Weight} }
        timeoutMs: 2000
        retries: { retryOn: [5xx, connect-failure], numRetries: 2 }
clusters:
  reviews-v1:
    endpoints: ["127.0.0.1:${v1Port}"]
  reviews-v2:
    endpoints: ["127.0.0.1:${v2Port}"]
`;
}

const tty = process.stdout.isTTY === true;
function progress(label, done, total, counts) {
  if (!tty) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  process.stdout.write(`\r  ${label.padEnd(22)} [${bar}] ${String(done).padStart(4)}/${total}  v1=${counts.v1} v2=${counts.v2}  `);
}

async function phase(meshFetch, label, headers) {
  const counts = { v1: 0, v2: 0 };
  let sent = 0;
  let done = 0;
  async function worker() {
    while (sent < REQUESTS) {
      sent++;
      const res = await meshFetch('http://reviews/reviews/1', { headers });
      const body = await res.json();
      counts[body.version]++;
      done++;
      if (done % 25 === 0 || done === REQUESTS) progress(label, done, REQUESTS, counts);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (tty) process.stdout.write('\n');
  const pct = (n) => ((100 * n) / REQUESTS).toFixed(1) + '%';
  console.log(`  ${label}: v1 ${pct(counts.v1)}, v2 ${pct(counts.v2)}`);
  return { label, v1: counts.v1 / REQUESTS, v2: counts.v2 / REQUESTS };
}

async function main() {
  const started = Date.now();
  const v1 = await startBackend('v1');
  const v2 = await startBackend('v2');
  const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-demo-'));
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(file, meshYaml(v1.port, v2.port, 90, 10));
  console.log(`sidecarless demo: reviews v1 on 127.0.0.1:${v1.port}, v2 on 127.0.0.1:${v2.port}`);
  console.log(`mesh file: ${file}`);

  const mesh = new MeshClient({ file: { path: file, debounceMs: 20 } });
  const meshFetch = createMeshFetch(mesh);
  const results = [];
  try {
    await mesh.ready([], { timeoutMs: 5000 }); // the file has been read
    await mesh.ready(['reviews'], { timeoutMs: 5000 });
    console.log('\n1. canary rule 90/10 (fetch("http://reviews/…") through the SDK, no sidecar)');
    results.push({ ...(await phase(meshFetch, '90/10 canary')), expected: '90/10' });

    console.log('\n2. header-forced canary (x-canary: true)');
    results.push({ ...(await phase(meshFetch, 'x-canary: true', { 'x-canary': 'true' })), expected: '0/100' });

    console.log('\n3. rewriting mesh.yaml to 50/50 while the app runs');
    const updated = once(mesh, 'update');
    const t0 = Date.now();
    await writeFile(file, meshYaml(v1.port, v2.port, 50, 50));
    await updated;
    console.log(`  new rule applied ${Date.now() - t0} ms after the write (file watch + debounce)`);
    results.push({ ...(await phase(meshFetch, '50/50 after edit')), expected: '50/50' });

    console.log('\nSummary (measured splits over ' + REQUESTS + ' requests each)');
    console.log('  ' + 'phase'.padEnd(20) + 'expected'.padEnd(10) + 'v1'.padStart(8) + 'v2'.padStart(8));
    for (const r of results) {
      console.log('  ' + r.label.padEnd(20) + r.expected.padEnd(10) + (100 * r.v1).toFixed(1).padStart(7) + '%' + (100 * r.v2).toFixed(1).padStart(7) + '%');
    }
    const stats = mesh.stats().map((s) => `${s.cluster}: ${s.requestsTotal} requests, ${s.failuresTotal} failures`);
    console.log('\nCluster stats: ' + stats.join('; '));
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await meshFetch.close();
    await mesh.close();
    v1.server.close();
    v2.server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
