#!/usr/bin/env node
// sidecarless demo: `npm run demo` (builds first, then runs this file). Everything runs in this one
// process on 127.0.0.1 with ports from port 0, offline, and exits by itself (0 when every phase
// behaved, 1 otherwise):
//   - the in-repo xDS control plane serving examples/demo/mesh.yaml, and the in-repo Nacos server;
//   - reviews v1/v2 (HTTP) and greeter v1/v2 (gRPC) backends;
//   - one MeshClient with the xds and nacos sources and an on-disk cache, used through
//     createMeshFetch (HTTP) and registerMeshGrpc + mesh:///greeter (gRPC).
// Phases: 90/10 canary, header-forced canary, live push to 50/50, control plane killed (traffic
// keeps flowing; a restarted app starts from the disk cache), a "Java" service found through Nacos.
'use strict';

const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const grpc = require('@grpc/grpc-js');

const { MeshClient } = require('../../dist/client/mesh-client.js');
const { createMeshFetch, defaultTargetsOf } = require('../../dist/integrations/undici/index.js');
const { registerMeshGrpc, meshGrpcInterceptor } = require('../../dist/integrations/grpc/index.js');
const { XdsControlPlane, NacosServer } = require('../../dist/testing/index.js');
const { Greeter, startHttpBackend, startGrpcBackend } = require('./backends.js');
const { runLoad } = require('./load.js');

const CALLS = 3000; // per phase: 2 of 3 over HTTP, 1 of 3 over gRPC
const TOLERANCE = 5; // percentage points a measured split may deviate from the rule
const INVENTORY = 'nacos://public/DEFAULT_GROUP/inventory';
const WATCHDOG_MS = 50_000;

/** examples/demo/mesh.yaml with its ${…} placeholders filled. */
function fillTemplate(template, values) {
  return template.replace(/\$\{(\w+)\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`mesh.yaml: no value for \${${name}}`);
    return String(values[name]);
  });
}

function section(title) {
  console.log(`\n${title}`);
}

async function main() {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    console.error(`\ndemo: still running after ${WATCHDOG_MS / 1000} s, giving up`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const cleanup = [];
  const rows = [];
  const problems = [];
  const notes = [];
  try {
    // ---- the world: backends, control planes ------------------------------------------------
    const [reviewsV1, reviewsV2, greeterV1, greeterV2] = await Promise.all([
      startHttpBackend('reviews', 'v1'),
      startHttpBackend('reviews', 'v2'),
      startGrpcBackend('v1'),
      startGrpcBackend('v2'),
    ]);
    cleanup.push(reviewsV1.close, reviewsV2.close, greeterV1.close, greeterV2.close);
    const template = await readFile(path.join(__dirname, 'mesh.yaml'), 'utf8');
    const ports = { REVIEWS_V1_PORT: reviewsV1.port, REVIEWS_V2_PORT: reviewsV2.port, GREETER_V1_PORT: greeterV1.port, GREETER_V2_PORT: greeterV2.port };
    const meshYaml = (v1, v2) => fillTemplate(template, { ...ports, V1_WEIGHT: v1, V2_WEIGHT: v2 });

    const controlPlane = new XdsControlPlane();
    await controlPlane.setMeshConfig(meshYaml(90, 10));
    await controlPlane.start();
    cleanup.push(() => controlPlane.stop());
    const nacos = new NacosServer();
    await nacos.start();
    cleanup.push(() => nacos.close());
    const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-demo-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));

    console.log('sidecarless demo: one Node process, everything on 127.0.0.1, no sidecar');
    console.log(`  xDS control plane   ${controlPlane.address}  (serving examples/demo/mesh.yaml, 90/10)`);
    console.log(`  Nacos server        127.0.0.1:${nacos.port} (gRPC ${nacos.grpcPort})`);
    console.log(`  reviews (HTTP)      v1 :${reviewsV1.port}   v2 :${reviewsV2.port}`);
    console.log(`  greeter (gRPC)      v1 :${greeterV1.port}   v2 :${greeterV2.port}`);
    console.log(`  cache dir           ${dir}`);

    // ---- the app: one MeshClient, fetch and grpc-js on top --------------------------------
    const mesh = new MeshClient({ xds: { bootstrap: controlPlane.bootstrap() }, nacos: { servers: [nacos.serverEntry] }, cacheDir: dir });
    cleanup.push(() => mesh.close());
    const sourceErrors = []; // e.g. the xDS stream failing to reconnect while the control plane is down
    mesh.on('error', ({ source, error }) => sourceErrors.push(`${source}: ${error.message.replace(/\. Resolution note:.*$/s, '')}`));
    // Host names go to the mesh as usual ('http://reviews/' → 'reviews'); the Nacos service is
    // named explicitly so this request can only be served by the Nacos source.
    const explicitTargets = { inventory: [INVENTORY] };
    const meshFetch = createMeshFetch(mesh, { targetsOf: (url) => explicitTargets[url.hostname] ?? defaultTargetsOf(url) });
    cleanup.push(() => meshFetch.close());
    registerMeshGrpc(grpc, mesh);
    const greeter = new Greeter('mesh:///greeter', grpc.credentials.createInsecure(), { interceptors: [meshGrpcInterceptor(grpc)] });
    cleanup.push(async () => greeter.close());
    await mesh.ready(['reviews', 'greeter'], { timeoutMs: 10_000 });

    const httpCall = async (fetchFn, headers) => {
      const res = await fetchFn('http://reviews/reviews/1', { headers });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return { protocol: 'HTTP', version: body.version };
    };
    const grpcCall = (headers) =>
      new Promise((resolve, reject) => {
        const metadata = new grpc.Metadata();
        for (const [k, v] of Object.entries(headers ?? {})) metadata.set(k, v);
        greeter.sayHello({ name: 'demo' }, metadata, { deadline: Date.now() + 5000 }, (err, reply) =>
          err ? reject(Object.assign(err, { protocol: 'gRPC' })) : resolve({ protocol: 'gRPC', version: reply.version }),
        );
      });
    const mixed = (headers) => (i) => (i % 3 === 2 ? grpcCall(headers) : httpCall(meshFetch, headers));

    /** Adds one summary row per protocol and checks it against the expected v2 share. */
    const record = (phase, expected, { counts, firstError }) => {
      for (const [protocol, c] of Object.entries(counts)) {
        const calls = c.ok + c.failed;
        if (calls === 0) continue;
        const v2 = c.ok === 0 ? 0 : (100 * (c.versions.v2 ?? 0)) / c.ok;
        const splitOk = Math.abs(v2 - expected) <= TOLERANCE;
        rows.push({ phase, protocol, calls, expected: `${100 - expected}/${expected}`, v1: c.ok === 0 ? 0 : (100 * (c.versions.v1 ?? 0)) / c.ok, v2, failed: c.failed, ok: splitOk && c.failed === 0 });
        if (!splitOk) problems.push(`${phase} (${protocol}): v2 got ${v2.toFixed(1)}%, the rule says ${expected}%`);
        if (c.failed) problems.push(`${phase} (${protocol}): ${c.failed} of ${calls} calls failed (first: ${firstError})`);
      }
    };

    // ---- 1. canary 90/10 ----------------------------------------------------------------------
    section('1. Canary 90/10 from the xDS control plane: fetch("http://reviews/…") and mesh:///greeter');
    record('1 canary 90/10', 10, await runLoad({ label: 'canary 90/10', total: CALLS, call: mixed() }));

    // ---- 2. header-forced canary ------------------------------------------------------------
    section('2. Header-forced canary: the same calls with x-canary: true (HTTP header / gRPC metadata)');
    record('2 x-canary: true', 100, await runLoad({ label: 'x-canary: true', total: CALLS, call: mixed({ 'x-canary': 'true' }) }));

    // ---- 3. live push ---------------------------------------------------------------------------
    section('3. The control plane pushes a 50/50 rule while the app runs');
    const routeWeights = () => {
      const r = mesh.pick('reviews');
      if (!r.ok) return '';
      r.done();
      const action = r.policy.route.action;
      return action.kind === 'weightedClusters' ? action.clusters.map((c) => c.weight).join('/') : '';
    };
    const editedAt = performance.now();
    await controlPlane.setMeshConfig(meshYaml(50, 50)); // parses the YAML, encodes xDS, sends the push
    const pushedAt = performance.now();
    // Poll the pick on every turn of the event loop: the first pick that sees the new route.
    while (routeWeights() !== '50/50') {
      if (performance.now() - pushedAt > 5000) throw new Error('the 50/50 rule did not arrive within 5 s');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const applyMs = performance.now() - pushedAt;
    console.log(`  control plane: mesh.yaml parsed, encoded and pushed in ${(pushedAt - editedAt).toFixed(1)} ms`);
    console.log(`  push → first pick with the 50/50 route: ${applyMs.toFixed(1)} ms (ADS over loopback, client decode, ACK, route table rebuilt)`);
    if (applyMs > 1000) problems.push(`3 live push: the first 50/50 pick came ${applyMs.toFixed(0)} ms after the push`);
    notes.push(`push to first 50/50 pick: ${applyMs.toFixed(1)} ms (control plane parse + encode before it: ${(pushedAt - editedAt).toFixed(1)} ms)`);
    record('3 after push 50/50', 50, await runLoad({ label: 'after push 50/50', total: CALLS, call: mixed() }));

    // ---- 4. control plane down --------------------------------------------------------------
    section('4. The xDS control plane is stopped mid-traffic');
    const killAt = Math.floor(CALLS / 5);
    let killed;
    const outage = await runLoad({
      label: 'control plane killed',
      total: CALLS,
      call: mixed(),
      onCall: (i) => {
        if (i === killAt) killed = controlPlane.stop();
        return killed;
      },
    });
    console.log(`  control plane stopped after call ${killAt}; the app kept routing on its last good state`);
    console.log(`  source errors so far: ${sourceErrors.length}${sourceErrors.length ? ` (first: ${sourceErrors[0]})` : ''}`);
    record('4 control plane down', 50, outage);

    // A second app instance starts now, with the control plane still down: it loads the state
    // the first one wrote to cacheDir.
    const restarted = new MeshClient({ xds: { bootstrap: controlPlane.bootstrap() }, cacheDir: dir });
    cleanup.push(() => restarted.close());
    restarted.on('error', () => {});
    const restartedFetch = createMeshFetch(restarted);
    cleanup.push(() => restartedFetch.close());
    const loadStarted = performance.now();
    await restarted.ready(['reviews'], { timeoutMs: 5000 });
    console.log(`  a new app instance, control plane still down: ready from ${dir}/ in ${(performance.now() - loadStarted).toFixed(1)} ms`);
    record('4 new app from disk cache', 50, await runLoad({ label: 'new app, cache only', total: 1000, call: () => httpCall(restartedFetch) }));

    // ---- 5. a Java service in Nacos -----------------------------------------------------------
    section('5. A Spring Cloud ("Java") app registers in Nacos; the Node app calls it via nacos://');
    // A stand-in for the Java app: a real HTTP server on the port it registers. Registration goes
    // through the Nacos admin API with the metadata a Spring Cloud Alibaba app would send.
    const inventory = await startHttpBackend('inventory', '1.4.2', { framework: 'spring-boot (simulated)' });
    cleanup.push(inventory.close);
    const registeredAt = performance.now();
    nacos.registerInstance({
      serviceName: 'inventory',
      ip: '127.0.0.1',
      port: inventory.port,
      metadata: { 'preserved.register.source': 'SPRING_CLOUD', version: '1.4.2', 'management.port': String(inventory.port) },
    });
    await mesh.ready([INVENTORY], { timeoutMs: 10_000 });
    console.log(`  registered 127.0.0.1:${inventory.port} → known to the app ${(performance.now() - registeredAt).toFixed(1)} ms later`);
    const pick = mesh.pick(INVENTORY);
    if (pick.ok) {
      const { host, port, labels } = pick.endpoint;
      console.log(`  ${INVENTORY} → ${host}:${port}, labels version=${labels.version}, preserved.register.source=${labels['preserved.register.source']}`);
      pick.done();
    }
    const inventoryCall = async () => {
      const res = await meshFetch('http://inventory/api/items/42');
      const body = await res.json();
      if (res.status !== 200 || body.service !== 'inventory') throw new Error(`unexpected answer ${res.status} ${JSON.stringify(body)}`);
      return { protocol: 'HTTP', version: body.version };
    };
    const fromNacos = await runLoad({ label: 'fetch http://inventory/', total: 500, call: inventoryCall });
    const n = fromNacos.counts.HTTP;
    rows.push({ phase: '5 Nacos "Java" service', protocol: 'HTTP', calls: n.ok + n.failed, expected: 'all OK', v1: undefined, v2: undefined, failed: n.failed, ok: n.failed === 0 });
    if (n.failed) problems.push(`5 Nacos service: ${n.failed} calls failed (first: ${fromNacos.firstError})`);

    // ---- summary ----------------------------------------------------------------------------
    section('Summary');
    const cell = (v) => (v === undefined ? '-' : `${v.toFixed(1)}%`);
    console.log(`  ${'phase'.padEnd(28)}${'proto'.padEnd(7)}${'calls'.padStart(6)}${'expected'.padStart(10)}${'v1'.padStart(8)}${'v2'.padStart(8)}${'failed'.padStart(8)}  check`);
    for (const r of rows) {
      console.log(
        `  ${r.phase.padEnd(28)}${r.protocol.padEnd(7)}${String(r.calls).padStart(6)}${r.expected.padStart(10)}${cell(r.v1).padStart(8)}${cell(r.v2).padStart(8)}${String(r.failed).padStart(8)}  ${r.ok ? 'ok' : 'FAIL'}`,
      );
    }
    for (const note of notes) console.log(`  ${note}`);
  } finally {
    for (const close of cleanup.reverse()) await close();
    clearTimeout(watchdog);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length) {
    console.log(`\nFAILED (${seconds} s):`);
    for (const p of problems) console.log(`  - ${p}`);
    process.exitCode = 1;
  } else {
    console.log(`\nall phases within ±${TOLERANCE} points of the rules, no failed calls; done in ${seconds} s`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
