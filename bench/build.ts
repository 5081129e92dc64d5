/**
 * Precompile the benchmark children to plain JavaScript in bench/.build, so every child runs on
 * bare `node` with no loader: Butter (TypeScript source), the bare cdktf app and the AWS CDK app
 * then pay the same (zero) transpile cost, and the numbers measure the libraries, not tsx.
 *
 * Transpile-only (`ts.transpileModule`, file by file, like tsx and swc do): the layout of the
 * repository is kept (.build/constructs, .build/src, .build/bench), so relative imports work
 * unchanged and Node loads as many modules as it would from a real build of the library.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
export const BUILD = path.join(ROOT, 'bench', '.build');

/** Folders compiled: the library (constructs, src) and the benchmark itself. */
const SOURCES = ['constructs', 'src', 'bench'];
const SKIP = new Set(['node_modules', '.build', '.scratch', 'results', 'fixtures', 'package.json', 'package-lock.json']);

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
};

/** Compile (or copy, for .js and .json) every source file; returns how many files were written. */
export function buildChildren(): number {
  let written = 0;
  for (const dir of SOURCES) {
    for (const file of walk(path.join(ROOT, dir))) {
      const rel = path.relative(ROOT, file);
      if (file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
      if (file.endsWith('.ts')) {
        const out = path.join(BUILD, rel.replace(/\.ts$/, '.js'));
        written += writeIfChanged(out, () => ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: OPTIONS, fileName: file }).outputText, file);
      } else if (file.endsWith('.js') || file.endsWith('.json')) {
        written += writeIfChanged(path.join(BUILD, rel), () => fs.readFileSync(file, 'utf8'), file);
      }
    }
  }
  linkNodeModules();
  return written;
}

/**
 * bench/node_modules holds aws-cdk-lib's own copy of `constructs`. Without this link, Butter's
 * compiled files (under bench/.build) would resolve `constructs` there instead of the root copy
 * cdktf uses; .build/node_modules -> ../../node_modules puts the root's packages first, and
 * aws-cdk-lib (absent from the root) is still found one level up, in bench/node_modules.
 */
function linkNodeModules(): void {
  const link = path.join(BUILD, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.relative(BUILD, path.join(ROOT, 'node_modules')), link, 'dir');
}

/** Write `out` unless it is newer than its source (keeps repeated bench runs quick). */
function writeIfChanged(out: string, content: () => string, source: string): number {
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(source).mtimeMs) return 0;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, content());
  return 1;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}
