#!/usr/bin/env node
// fetch through the mesh: `npm run build && node examples/fetch-basic/index.js`.
// A backend on loopback, a mesh.yaml naming it "hello", and Node's fetch routed by sidecarless.
'use strict';

const http = require('node:http');
const { once } = require('node:events');
const { mkdtemp, writeFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { MeshClient } = require('../../dist/client/mesh-client.js');
const { createMeshFetch } = require('../../dist/integrations/undici/index.js');

async function main() {
  const backend = http.createServer((req, res) => res.end(`hello from ${req.headers.host}${req.url} (port ${backend.address().port})`));
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-fetch-'));
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(file, `services:\n  hello: {}\nclusters:\n  hello:\n    endpoints: ["127.0.0.1:${backend.address().port}"]\n`);

  const mesh = new MeshClient({ file });
  const meshFetch = createMeshFetch(mesh);
  try {
    await mesh.ready([]);
    await mesh.ready(['hello']);
    const res = await meshFetch('http://hello/greet');
    console.log(`status ${res.status}: ${await res.text()}`);
    const stats = mesh.stats().find((s) => s.cluster === 'hello');
    console.log(`cluster hello: ${stats.requestsTotal} request(s), ${stats.inFlight} in flight`);
  } finally {
    await meshFetch.close();
    await mesh.close();
    backend.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
