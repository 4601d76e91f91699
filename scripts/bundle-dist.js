'use strict';
// Bundles dist/ into a few files, one per area (dist/bundles/<area>.js), and turns every other
// dist/*.js into a one-line stub that returns its module from its area's bundle.
//
// Why: a cold start loads ~100 modules, and Node resolves, reads and compiles each file apart
// (~0.3 ms apiece: a third of the 100 ms budget). One file per area is read and compiled once,
// and each module inside still runs lazily, on its first require. Areas keep what a start does
// not need (the Nacos source, the embedded control planes, the integrations, the CLI) out of what
// it compiles: V8 pays for every byte of a script it compiles, used or not.
// The stubs keep every path working (the `exports` map, deep imports, the CLI), and a module that
// another area uses is reached through its stub, so there is one instance of every module.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist'));
const OUT_DIR = 'bundles';
/** Files that stay as tsc wrote them (the CLI's entry runs on load). */
const KEEP = new Set(['cli/main.js']);

/** The area of a module: its own bundle. Everything not named here is the core. */
function areaOf(file) {
  const parts = file.split('/');
  if ((parts[0] === 'sources' || parts[0] === 'integrations') && parts.length > 2) return `${parts[0]}-${parts[1]}`;
  if (['cache', 'testing', 'cli'].includes(parts[0])) return parts[0];
  return 'core';
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (path.relative(dist, p) !== OUT_DIR) walk(p, out);
    } else if (e.name.endsWith('.js')) out.push(path.relative(dist, p).split(path.sep).join('/'));
  }
  return out;
}

/** `require()` text for `target` (a dist-relative path) from a file at `fromFile`. */
function relativeSpec(fromFile, target) {
  const rel = path.posix.relative(path.posix.dirname(fromFile), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

async function main() {
  const esbuild = require('esbuild');
  const files = walk(dist).filter((f) => !KEEP.has(f));
  const areas = new Map();
  for (const f of files) {
    const a = areaOf(f);
    if (!areas.has(a)) areas.set(a, []);
    areas.get(a).push(f);
  }
  for (const [area, members] of areas) {
    const bundle = `${OUT_DIR}/${area}.js`;
    const mine = new Set(members.map((f) => path.join(dist, f)));
    // Another area's module stays a require() of its stub, so it is shared, not copied.
    const otherAreas = {
      name: 'other-areas',
      setup(build) {
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          let abs = path.resolve(args.resolveDir, args.path);
          if (!abs.endsWith('.js')) abs += '.js';
          if (mine.has(abs) || !abs.startsWith(dist + path.sep)) return undefined;
          return { path: relativeSpec(bundle, path.relative(dist, abs).split(path.sep).join('/')), external: true };
        });
      },
    };
    const entry = [
      'const loaders = {',
      ...members.map((f) => `  ${JSON.stringify(f.slice(0, -3))}: () => require(${JSON.stringify(`./${f}`)}),`),
      '};',
      'module.exports = (id) => loaders[id]();',
    ].join('\n');
    await esbuild.build({
      stdin: { contents: entry, resolveDir: dist, sourcefile: `${area}-modules.js`, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      keepNames: true,
      sourcemap: 'linked',
      plugins: [otherAreas],
      outfile: path.join(dist, bundle),
      logLevel: 'warning',
    });
    for (const f of members) {
      fs.writeFileSync(path.join(dist, f), `"use strict";\nmodule.exports = require(${JSON.stringify(relativeSpec(f, bundle))})(${JSON.stringify(f.slice(0, -3))});\n`);
      fs.rmSync(path.join(dist, `${f}.map`), { force: true });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
