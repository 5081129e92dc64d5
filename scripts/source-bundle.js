// Runs this checkout's TypeScript sources fast: an entry point (the `butter` command, the examples'
// cdktf app) is bundled with esbuild into node_modules/.cache/butter-source/<name>.js and loaded
// as plain JavaScript, then reused until a file that went into it changes.
//
// Why: through tsx, `bin/butter` took 0.9 s to start and the examples' app 2.3 s to synthesize
// (tsx's per-file resolver, and V8 mapping every stack trace cdktf captures through tsx's source
// maps); bundled, 0.55 s and 1.0 s. `npm start` and every test that runs the command pay this.
//
// Only this checkout uses it (esbuild is a devDependency). The installed package runs dist/.
// BUTTER_SOURCE_BUNDLE=0 runs the sources through tsx instead, with TypeScript line numbers.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'butter-source');

/**
 * The file to `require` for `entry` (a .ts file of this checkout): its bundle, built if missing
 * or stale, or (BUTTER_SOURCE_BUNDLE=0) the source itself with tsx's require hook installed.
 */
async function sourceModule(entry) {
  entry = path.resolve(entry);
  if (process.env.BUTTER_SOURCE_BUNDLE === '0') {
    require('tsx/cjs');
    return entry;
  }
  // An app outside this checkout (a test's temporary cdktf project) keeps its bundle beside it,
  // so that it goes with its folder.
  const inside = !path.relative(ROOT, entry).startsWith('..');
  const cache = inside ? CACHE : path.join(path.dirname(entry), '.source-bundle');
  const name = (inside ? path.relative(ROOT, entry) : path.basename(entry)).replace(/\.ts$/, '').split(path.sep).join('-');
  const out = path.join(cache, `${name}.js`);
  const stampFile = path.join(cache, `${name}.inputs.json`);
  if (!isFresh(entry, out, stampFile)) await build(entry, out, stampFile);
  return out;
}

/**
 * esbuild gives a bundle one `__dirname`: the bundle's. The sources use theirs to find files
 * next to them (the examples' blueprints, the mock cloud's .proto files, the launcher's C
 * source), so each of the project's own modules gets its own, declared at its top.
 */
const ownDirname = {
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const text = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text)) return { contents: text, loader: 'ts' };
      const prologue = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
      return { contents: `${prologue}\n${text}`, loader: 'ts' };
    });
  },
};

async function build(entry, out, stampFile) {
  const esbuild = require('esbuild');
  // Node 20's CommonJS, as tsx ran it. Packages stay where they are: one copy of cdktf and
  // constructs, as users have. Names stay as written (a bundle renames a class that another file
  // also declares: ButterError's name is what an app's crash report is recognized by).
  const options = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', keepNames: true };
  const result = await esbuild.build({ ...options, entryPoints: [entry], outfile: out, write: false, metafile: true, logLevel: 'silent', plugins: [ownDirname] });
  // Made before the stamps: a bundle kept beside its entry changes that folder's stamp once.
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f));
  // A new file in a source folder (one an import may now resolve to) changes the folder's stamp.
  const watched = [...inputs, ...new Set(inputs.map((f) => path.dirname(f)))];
  const stamps = Object.fromEntries(watched.map((f) => [f, stampOf(f)]));
  // Several processes may build at once (jest workers): each writes its own file and renames it.
  writeAtomic(out, result.outputFiles[0].text);
  writeAtomic(stampFile, JSON.stringify({ entry, stamps }));
}

function writeAtomic(file, text) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

function stampOf(file) {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function isFresh(entry, out, stampFile) {
  try {
    const recorded = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return recorded.entry === entry && fs.existsSync(out) && Object.entries(recorded.stamps).every(([f, s]) => stampOf(f) === s);
  } catch {
    return false;
  }
}

module.exports = { sourceModule };

// `node scripts/source-bundle.js <file.ts>` runs a file (the examples' app: cdktf.json `app`).
// It is required outside the promise, so that what it throws is an uncaught exception, as when
// Node runs a file (Butter's handler prints a ButterError without a stack trace).
if (require.main === module) {
  sourceModule(process.argv[2]).then((file) => setImmediate(() => require(file)), (e) => {
    process.stderr.write(`bundling ${process.argv[2]} failed: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  });
}
