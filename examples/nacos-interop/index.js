#!/usr/bin/env node
// Node and Java apps in one Nacos: `npm run build && node examples/nacos-interop/index.js`.
// Runs offline on the in-repo Nacos server (loopback, port 0) and exits by itself:
//   1. "orders", a Spring Cloud app, has two instances (v1, v2) registered through the Nacos admin
//      API with the metadata Spring Cloud Alibaba sends (stand-ins: real HTTP servers on loopback);
//   2. a canary rule for it is published in Nacos config: data id orders.mesh.yaml, group SIDECARLESS;
//   3. this Node app registers itself ("frontend") and calls http://orders/… through the mesh:
//      80/20 by the rule, and always v2 with x-canary: true.
'use strict';

const http = require('node:http');
const { once } = require('node:events');
const { MeshClient } = require('../../dist/client/mesh-client.js');
const { createMeshFetch } = require('../../dist/integrations/undici/index.js');
const { NacosServer } = require('../../dist/testing/index.js');

const RULE = `# data id: orders.mesh.yaml   group: SIDECARLESS   (schema: docs/mesh-yaml.md, service rules)
subsets:
  v1: { version: v1 }
  v2: { version: v2 }
routes:
  - match: { headers: { x-canary: "true" } }
    route: { cluster: v2 }
  - route: { weighted: [ { cluster: v1, weight: 80 }, { cluster: v2, weight: 20 } ] }
`;

async function listen(handler) {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** A stand-in for one instance of the Java "orders" service: a real HTTP server. */
function ordersInstance(version) {
  return listen((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ service: 'orders', version, path: req.url }));
  });
}

async function main() {
  const nacos = new NacosServer();
  await nacos.start();
  const servers = [];
  let mesh;
  let meshFetch;
  try {
    // 1. The Java service, as Spring Cloud Alibaba registers it (version from
    //    spring.cloud.nacos.discovery.metadata.version).
    for (const version of ['v1', 'v2']) {
      const server = await ordersInstance(version);
      servers.push(server);
      const port = server.address().port;
      nacos.registerInstance({
        serviceName: 'orders',
        ip: '127.0.0.1',
        port,
        metadata: { 'preserved.register.source': 'SPRING_CLOUD', version, 'management.port': String(port) },
      });
      console.log(`Java app "orders" ${version} registered at 127.0.0.1:${port} (admin API, Spring Cloud metadata)`);
    }
    // 2. The canary rule, in Nacos config.
    nacos.publishConfig({ dataId: 'orders.mesh.yaml', group: 'SIDECARLESS', content: RULE, type: 'yaml' });
    console.log('canary rule published: orders.mesh.yaml / SIDECARLESS (80/20, x-canary: true → v2)');

    // 3. This Node app: serves HTTP itself, registers in Nacos, calls orders through the mesh.
    const app = await listen((req, res) => res.end('frontend'));
    servers.push(app);
    mesh = new MeshClient({
      nacos: {
        servers: [nacos.serverEntry],
        register: { service: 'frontend', ip: '127.0.0.1', port: app.address().port, metadata: { version: 'v1', 'preserved.register.source': 'SPRING_CLOUD' } },
      },
    });
    meshFetch = createMeshFetch(mesh);
    await mesh.ready(['orders'], { timeoutMs: 10_000 });
    // The rule arrives on its own config connection; it is in force once the header canary lands on v2.
    const ruleApplied = () => {
      const r = mesh.pick('orders', { headers: { 'x-canary': 'true' } });
      if (r.ok) r.done();
      return r.ok && r.cluster.endsWith('|v2');
    };
    if (!ruleApplied()) {
      await new Promise((resolve) => {
        const check = () => ruleApplied() && (mesh.off('update', check), resolve());
        mesh.on('update', check);
      });
    }
    while (nacos.instances({ serviceName: 'frontend' }).length === 0) await once(nacos, 'serviceChanged');
    const self = nacos.instances({ serviceName: 'frontend' }).map((i) => `${i.ip}:${i.port}`);
    console.log(`Node app "frontend" registered itself: ${self.join(', ')} (a Java consumer finds it like any Spring Cloud app)`);

    const calls = async (n, headers) => {
      const counts = { v1: 0, v2: 0 };
      for (let i = 0; i < n; i += 50) {
        const batch = Array.from({ length: Math.min(50, n - i) }, () => meshFetch('http://orders/api/orders/7', { headers }).then((r) => r.json()));
        for (const body of await Promise.all(batch)) counts[body.version]++;
      }
      return counts;
    };
    const n = 1000;
    const split = await calls(n);
    console.log(`${n} calls to http://orders/api/orders/7: v1 ${((100 * split.v1) / n).toFixed(1)}%, v2 ${((100 * split.v2) / n).toFixed(1)}% (rule 80/20)`);
    const canary = await calls(100, { 'x-canary': 'true' });
    console.log(`100 calls with x-canary: true: v2 ${canary.v2}/100`);
    if (Math.abs((100 * split.v2) / n - 20) > 5 || canary.v2 !== 100) {
      console.log('the measured split does not follow the rule');
      process.exitCode = 1;
    }
  } finally {
    await meshFetch?.close();
    await mesh?.close(); // deregisters "frontend"
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await nacos.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
