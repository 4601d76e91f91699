#!/usr/bin/env node
// An Express "productpage" calling "reviews" through the mesh, with the canary header carried from
// the inbound request: `npm run build && node examples/express-canary/index.js`.
'use strict';

const http = require('node:http');
const { once } = require('node:events');
const { mkdtemp, writeFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const express = require('express');
const { MeshClient } = require('../../dist/client/mesh-client.js');
const { createMeshFetch } = require('../../dist/integrations/undici/index.js');
const { meshContext, meshAdmin, meshErrorHandler } = require('../../dist/integrations/express/index.js');

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server.address().port;
}

function reviews(version) {
  return http.createServer((req, res) => res.end(JSON.stringify({ version, canaryHeader: req.headers['x-canary'] ?? null })));
}

async function main() {
  const v1 = reviews('v1');
  const v2 = reviews('v2');
  const [p1, p2] = [await listen(v1), await listen(v2)];
  const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-express-'));
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(
    file,
    `services:
  reviews:
    routes:
      - match: { headers: { x-canary: "true" } }
        route: { cluster: reviews-v2 }
      - route: { cluster: reviews-v1 }
clusters:
  reviews-v1: { endpoints: ["127.0.0.1:${p1}"] }
  reviews-v2: { endpoints: ["127.0.0.1:${p2}"] }
`,
  );
  const mesh = new MeshClient({ file });
  const meshFetch = createMeshFetch(mesh);
  const app = express();
  app.use(meshContext());
  app.use('/mesh', meshAdmin(mesh));
  app.get('/productpage', async (_req, res) => {
    // No header handling here: meshContext carries x-canary to this outbound call.
    const upstream = await meshFetch('http://reviews/reviews/1');
    res.json({ page: 'productpage', reviews: await upstream.json() });
  });
  app.use(meshErrorHandler());
  const appServer = http.createServer(app);
  try {
    await mesh.ready([]);
    await mesh.ready(['reviews']);
    const base = `http://127.0.0.1:${await listen(appServer)}`;
    const plain = await (await fetch(`${base}/productpage`)).json();
    console.log(`GET /productpage                 -> reviews ${plain.reviews.version}`);
    const canary = await (await fetch(`${base}/productpage`, { headers: { 'x-canary': 'true' } })).json();
    console.log(`GET /productpage (x-canary:true) -> reviews ${canary.reviews.version} (header seen by reviews: ${canary.reviews.canaryHeader})`);
    console.log(`GET /mesh/readyz                 -> ${(await fetch(`${base}/mesh/readyz`)).status}`);
    const metrics = await (await fetch(`${base}/mesh/metrics`)).text();
    console.log('GET /mesh/metrics (requests):');
    for (const line of metrics.split('\n')) if (line.startsWith('sidecarless_upstream_requests_total{')) console.log('  ' + line);
  } finally {
    appServer.close();
    await meshFetch.close();
    await mesh.close();
    v1.close();
    v2.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
