// Child process of bench/cold-start.bench.ts. The first statement reads the clock: everything after
// it (loading sidecarless from dist/, connecting to the parent's XdsControlPlane, the first pick)
// is what the figure measures. Imports are require() calls below it on purpose (TypeScript hoists
// `import` statements above any code).
const firstLine = performance.now();

/* eslint-disable @typescript-eslint/no-require-imports */
const { MeshClient } = require('../../../dist/index.js') as typeof import('../../src/index');

async function main(): Promise<void> {
  const target = process.env.COLD_START_TARGET ?? 'xds:///reviews';
  // `xds: {}`: the bootstrap comes from GRPC_XDS_BOOTSTRAP_CONFIG, as for grpc-js-xds.
  const mesh = new MeshClient({ xds: {} });
  await mesh.ready([target], { timeoutMs: 10_000 });
  const r = mesh.pick(target);
  if (!r.ok) throw new Error(`pick failed: ${r.error.message}`);
  r.done({ ok: true });
  const at = performance.now();
  const rss = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ firstLine, at, rss })}\n`);
  await mesh.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
