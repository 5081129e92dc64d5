#!/usr/bin/env node
// `npm run build` (and `prepack`): the installable package in dist/.
//   dist/src, dist/constructs   CommonJS, .d.ts, source and declaration maps (tsconfig.build.json)
//   dist/src/util/zod.js, js-yaml.js   those packages' functions Butter uses, bundled (see below)
//   dist/src/mock/proto         the .proto files the mock cloud loads at run time
//   dist/src/mock/launch        launcher.c, the mirror's plugin launcher (compiled on the user's machine)
//   dist/mock-provider          the mock cloud bundled into one file (what plugins and daemons run)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const f of fs.readdirSync(path.join(root, 'src/mock/proto'))) {
  if (f.endsWith('.proto')) fs.copyFileSync(path.join(root, 'src/mock/proto', f), path.join(dist, 'src/mock/proto', f));
}
// The doors to zod and js-yaml (src/util/zod.ts, js-yaml.ts), each rebuilt as one file holding
// just the functions it names: an installed Butter then never loads those packages' own 120
// modules (about 80 ms of a cold start). Their declarations stay tsc's, which name the packages
// (still dependencies, for those types). Each bundle starts with its package's license.
for (const [door, pkg] of [['zod', 'zod'], ['js-yaml', 'js-yaml']]) {
  const license = fs.readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'LICENSE'), 'utf8');
  const { version } = require(`${pkg}/package.json`);
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'src/util', `${door}.ts`)],
    outfile: path.join(dist, 'src/util', `${door}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Minified: a third of the text to parse at every start; the source map keeps stack traces readable.
    minify: true,
    sourcemap: true,
    legalComments: 'inline',
    banner: { js: `/*! Bundled from ${pkg} ${version}:\n${license.trim().replace(/\*\//g, '* /')}\n*/` },
    logLevel: 'warning',
  });
}
// The plugin launcher's C source: prepareMirror compiles it into the user's mirror (launcher.ts).
fs.copyFileSync(path.join(root, 'src/mock/launch/launcher.c'), path.join(dist, 'src/mock/launch/launcher.c'));
// Bundled from the compiled entry point, by the compiled bundler (the same code users run).
const { buildBundle, PREBUILT_DIR } = require(path.join(dist, 'src/mock/launch/bundle.js'));
buildBundle(path.join(dist, 'src/mock/main.js'), PREBUILT_DIR).then(() => {
  // The staleness stamps name this machine's files: meaningless in the package.
  fs.rmSync(path.join(PREBUILT_DIR, 'inputs.json'));
  process.stdout.write(`built ${path.relative(root, dist)}/\n`);
}, (e) => {
  process.stderr.write(`bundling the mock cloud failed: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 1;
});
