'use strict';
// Bundles dist/ into one file (dist/sidecarless.bundle.js) and turns every other dist/*.js into a
// one-line stub that returns the bundled module. Why: a cold start loads ~100 modules, and Node
// resolves, reads and compiles each file separately (~0.3 ms apiece, a third of the 100 ms
// budget); one file is read and compiled once, and each module inside it still runs lazily, on its
// first require. The stubs keep every path (the `exports` map, deep imports, the CLI) working,
// all of them sharing the one instance of each module in the bundle.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist'));
const BUNDLE = 'sidecarless.bundle.js';
/** Files that stay as tsc wrote them (the CLI runs its main on load). */
const KEEP = new Set(['cli/main.js']);

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.js')) out.push(path.relative(dist, p).split(path.sep).join('/'));
  }
  return out;
}

async function main() {
  const esbuild = require('esbuild');
  const files = walk(dist).filter((f) => f !== BUNDLE && !KEEP.has(f));
  // Already stubs (a second run): nothing to do.
  if (files.every((f) => fs.readFileSync(path.join(dist, f), 'utf8').includes(BUNDLE))) return;
  const ids = files.map((f) => f.slice(0, -3));
  const entry = [
    'const loaders = {',
    ...ids.map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(`./${id}.js`)}),`),
    '};',
    'module.exports = (id) => loaders[id]();',
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: dist, sourcefile: 'sidecarless-modules.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    keepNames: true,
    sourcemap: 'linked',
    outfile: path.join(dist, BUNDLE),
    logLevel: 'warning',
  });
  for (const f of files) {
    const rel = path.posix.relative(path.posix.dirname(f), BUNDLE);
    const spec = rel.startsWith('.') ? rel : `./${rel}`;
    fs.writeFileSync(path.join(dist, f), `"use strict";\nmodule.exports = require(${JSON.stringify(spec)})(${JSON.stringify(f.slice(0, -3))});\n`);
    fs.rmSync(path.join(dist, `${f}.map`), { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
