#!/usr/bin/env node
// gRPC with a 90/10 weighted split: `npm run build && node examples/grpc-weighted/index.js`.
// Two grpc-js servers on loopback; the client dials mesh:///greeter and the mesh picks per call.
'use strict';

const grpc = require('@grpc/grpc-js');
const { mkdtemp, writeFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { MeshClient } = require('../../dist/client/mesh-client.js');
const { registerMeshGrpc, meshGrpcInterceptor } = require('../../dist/integrations/grpc/index.js');
// helloworld.Greeter with a JSON codec (no .proto file) and its servers, shared with the demo.
const { Greeter, startGrpcBackend } = require('../demo/backends.js');

async function main() {
  const v1 = await startGrpcBackend('v1');
  const v2 = await startGrpcBackend('v2');
  const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-grpc-'));
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(
    file,
    `services:
  greeter:
    routes:
      - match: { prefix: /helloworld.Greeter/ }
        route:
          weighted:
            - { cluster: greeter-v1, weight: 90 }
            - { cluster: greeter-v2, weight: 10 }
        timeoutMs: 1000
clusters:
  greeter-v1: { endpoints: ["127.0.0.1:${v1.port}"] }
  greeter-v2: { endpoints: ["127.0.0.1:${v2.port}"] }
`,
  );
  const mesh = new MeshClient({ file, routingMode: 'grpc' });
  registerMeshGrpc(grpc, mesh);
  const client = new Greeter('mesh:///greeter', grpc.credentials.createInsecure(), { interceptors: [meshGrpcInterceptor(grpc)] });
  try {
    await mesh.ready([]);
    const counts = { v1: 0, v2: 0 };
    const calls = 1000;
    for (let i = 0; i < calls; i += 100) {
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => new Promise((resolve, reject) => client.sayHello({ name: 'mesh' }, (err, r) => (err ? reject(err) : resolve(r))))),
      );
      for (const r of replies) counts[r.version]++;
    }
    console.log(`${calls} calls to mesh:///greeter: v1 ${((100 * counts.v1) / calls).toFixed(1)}%, v2 ${((100 * counts.v2) / calls).toFixed(1)}% (rule 90/10)`);
  } finally {
    client.close();
    await mesh.close();
    await v1.close();
    await v2.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
