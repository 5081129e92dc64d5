import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../util/atomic-file';
import { PluginCommand } from './command';

/**
 * The mock cloud's entry point bundled into one JavaScript file, for fast plugin start-up.
 *
 * Terraform starts a plugin process for every phase, so start-up is paid three to five times per
 * command. Time to the handshake line, measured on the dev machine (node alone: 65 ms):
 * `node --import tsx src/mock/main.ts` about 470 ms (tsx compiles every TypeScript file on the
 * way), the esbuild bundle 135 ms, the bundle through the code-cache loader below 115 ms.
 *
 * Run from this repository's TypeScript sources, the bundle is built on first use (esbuild is a
 * devDependency) and rebuilt when any file that went into it, or any folder of the project's own
 * sources, changed. Run from the installed package (compiled JavaScript, no esbuild), the bundle
 * was built by `npm run build` into `dist/mock-provider` and is copied into `outDir` when it
 * differs. Either way it is started through a small loader that keeps V8's compiled code for it
 * in a cache file next to it (Node 20 has no built-in compile cache for user code), so later
 * launches skip most of the compiling; the copy keeps that cache out of node_modules, which may
 * be read-only.
 */

/** Options for {@link ensureBundle}. */
export interface BundleOptions {
  /** The folder for the bundle (and the .proto files it loads at run time). */
  readonly outDir: string;
  /** The entry file. @default src/mock/main.ts */
  readonly entry?: string;
}

/** The bundle's file name (next to its loader, `launch.js`). */
export const BUNDLE_FILE = 'butter-mock-provider.js';
const BUNDLE = BUNDLE_FILE;
const PROTO_DIR = path.resolve(__dirname, '..', 'proto');
/** Running compiled (dist/src/mock/launch/bundle.js) rather than from the TypeScript source. */
const COMPILED = path.extname(__filename) === '.js';
/** Where `npm run build` puts the bundle: dist/mock-provider, three folders up from this file's compiled form. */
export const PREBUILT_DIR = path.resolve(__dirname, '..', '..', '..', 'mock-provider');

/**
 * The loader: compiles the bundle with V8's cached data when there is some, runs it as a CommonJS
 * module, and (when there was no usable cache) writes the cache as the process exits, when it
 * holds everything compiled so far. The cache is per node version; V8 itself rejects a cache that
 * does not match the bundle's source, which then gets rewritten.
 */
const LOADER = `'use strict';
// Written by Butter (launch/bundle.ts): runs ${BUNDLE} with a V8 code cache. Do not edit.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const file = path.join(__dirname, '${BUNDLE}');
const cacheFile = file + '.' + process.version + '-' + process.arch + '.cache';
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
if (!cachedData || script.cachedDataRejected) {
  process.once('exit', () => {
    // A launch daemon whose mirror is being deleted must not write into it (launch-daemon.ts).
    if (global.butterSkipCodeCache) return;
    try {
      const temp = cacheFile + '.' + process.pid + '.tmp';
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {}
  });
}
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(bundle.exports, bundle.exports, (id) => bundle.require(id), bundle, file, __dirname);
`;
const PROTOS = ['tfplugin6.proto', 'goplugin.proto', 'health.proto'];

/** Build (or copy) the bundle if it is missing or stale; returns the command that runs it. */
export async function ensureBundle(options: BundleOptions): Promise<PluginCommand> {
  const outDir = path.resolve(options.outDir);
  if (COMPILED && options.entry === undefined) return copyPrebuilt(outDir);
  const entry = path.resolve(options.entry ?? path.resolve(__dirname, '..', 'main.ts'));
  const outFile = path.join(outDir, BUNDLE);
  const command: PluginCommand = { executable: process.execPath, args: [path.join(outDir, 'launch.js')] };
  if (isFresh(entry, outFile, path.join(outDir, 'inputs.json')) && fs.existsSync(command.args[0])) return command;
  await buildBundle(entry, outDir);
  return command;
}

/**
 * Bundle `entry` into `outDir` with esbuild, next to its loader and the .proto files; records
 * every input's stamp for {@link ensureBundle}'s staleness check. `npm run build` calls this on
 * the compiled entry point.
 */
export async function buildBundle(entry: string, outDir: string): Promise<void> {
  const outFile = path.join(outDir, BUNDLE);
  // Loaded only here: building is rare, and nothing else needs esbuild (a devDependency).
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    outfile: outFile,
    logLevel: 'silent',
    banner: { js: `// Bundled by Butter from ${path.relative(outDir, entry)}; rebuilt when its sources change. Do not edit.` },
  });
  for (const f of result.outputFiles) writeFileAtomic(f.path, f.text);
  writeFileAtomic(path.join(outDir, 'launch.js'), LOADER);
  for (const p of PROTOS) writeFileAtomic(path.join(outDir, p), fs.readFileSync(path.join(PROTO_DIR, p), 'utf8'));
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(f));
  writeFileAtomic(path.join(outDir, 'inputs.json'), JSON.stringify({ entry, stamps: stamps(inputs) }, null, 1));
}

/**
 * The installed package's way: copy the prebuilt bundle, its loader and protos into `outDir`
 * when the prebuilt one changed (a new Butter version). Without a prebuilt bundle (a build
 * without its bundling step) the compiled entry point runs unbundled: slower to start, same
 * behaviour.
 */
function copyPrebuilt(outDir: string): PluginCommand {
  const prebuilt = path.join(PREBUILT_DIR, BUNDLE);
  if (!fs.existsSync(prebuilt)) return { executable: process.execPath, args: [path.resolve(__dirname, '..', 'main.js')] };
  const command: PluginCommand = { executable: process.execPath, args: [path.join(outDir, 'launch.js')] };
  const stampFile = path.join(outDir, 'inputs.json');
  const files = [BUNDLE, 'launch.js', ...PROTOS];
  if (isFresh(prebuilt, path.join(outDir, BUNDLE), stampFile)) return command;
  for (const f of files) writeFileAtomic(path.join(outDir, f), fs.readFileSync(path.join(PREBUILT_DIR, f), 'utf8'));
  const recorded: Record<string, string> = {};
  for (const f of files) recorded[path.join(PREBUILT_DIR, f)] = stampOf(path.join(PREBUILT_DIR, f));
  writeFileAtomic(stampFile, JSON.stringify({ entry: prebuilt, stamps: recorded }, null, 1));
  return command;
}

/**
 * Stamps of every input file, plus of every folder holding a source input (outside node_modules)
 * and the proto folder: a new file there (say `src/mock/aws/index.ts` appearing where the catalog
 * looks for it) changes the folder's mtime.
 */
function stamps(inputs: readonly string[]): Record<string, string> {
  const folders = new Set([PROTO_DIR]);
  for (const f of inputs) if (!f.split(path.sep).includes('node_modules')) folders.add(path.dirname(f));
  const files = [...inputs, ...PROTOS.map((p) => path.join(PROTO_DIR, p))];
  const out: Record<string, string> = {};
  for (const f of [...files, ...folders].sort()) out[f] = stampOf(f);
  return out;
}

function stampOf(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function isFresh(entry: string, outFile: string, stampFile: string): boolean {
  if (!fs.existsSync(outFile)) return false;
  try {
    const recorded = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { entry: string; stamps: Record<string, string> };
    return recorded.entry === entry && Object.entries(recorded.stamps).every(([f, s]) => stampOf(f) === s);
  } catch {
    return false;
  }
}
