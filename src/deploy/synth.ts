import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ButterError } from '../errors';
import { readJsonFile } from '../util/json-file';

/** A synthesized stack, as cdktf's manifest describes it. */
export interface SynthesizedStack {
  /** Stack name (its construct id). */
  readonly name: string;
  /** Absolute path of the stack's `cdk.tf.json`. */
  readonly file: string;
  /** Names of stacks this one depends on (deploy those first). */
  readonly dependencies: readonly string[];
}

/** Options for {@link synthesizeApp}. */
export interface SynthOptions {
  /** The project folder holding cdktf.json. */
  readonly cwd: string;
  /** @default - cdktf.json's `output`, else `cdktf.out` */
  readonly outdir?: string;
  /** More environment for the app (e.g. the deployed subnets, see deploy.ts). @default {} */
  readonly env?: Record<string, string>;
  /**
   * Stop the synth: the app (its whole process group) is killed and the call rejects with the
   * signal's reason. `graph --serve` aborts a drawing no one waits for any more.
   * @default - it runs to the end
   */
  readonly signal?: AbortSignal;
}

/**
 * Run the project's cdktf app (cdktf.json `app`) the way `cdktf synth` does, without the cdktf
 * CLI's start-up cost: the app reads `CDKTF_OUTDIR` and writes the stacks and a manifest there.
 */
export async function synthesizeApp(options: SynthOptions): Promise<SynthesizedStack[]> {
  const project = readCdktfJson(options.cwd);
  if (!project) {
    throw new ButterError('CDKTF_JSON_MISSING', `no cdktf.json in ${options.cwd}`, {
      hint: 'run butter in the folder of your cdktf project (the one with cdktf.json)',
    });
  }
  const { file: configFile, config } = project;
  if (!config.app) {
    throw new ButterError('CDKTF_JSON_INVALID', 'cdktf.json has no "app" command', { file: configFile, key: 'app', hint: 'set "app", e.g. "npx tsx main.ts"' });
  }
  const outdir = options.outdir ? path.resolve(options.cwd, options.outdir) : outputFolder(options.cwd);
  const { code, output } = await runShell(config.app, options.cwd, { ...options.env, CDKTF_OUTDIR: outdir }, options.signal);
  if (code !== 0) {
    // An app that stopped on a ButterError gets that error, not Node's report of the crash.
    const own = butterErrorIn(output);
    if (own) throw own;
    throw new ButterError('SYNTH_FAILED', `the cdktf app failed:\n${tail(output, 40)}`, {
      file: configFile,
      key: 'app',
      hint: 'fix the error above and run again',
    });
  }
  return readManifest(outdir);
}

/** The parts of cdktf.json Butter reads. */
interface CdktfJson {
  readonly app?: string;
  readonly output?: string;
}

/** cdktf.json in `cwd`, or undefined when there is none; unreadable JSON is an error naming the file. */
function readCdktfJson(cwd: string): { file: string; config: CdktfJson } | undefined {
  const file = path.join(cwd, 'cdktf.json');
  const config = readJsonFile(file, {
    code: 'CDKTF_JSON_INVALID', what: 'cdktf.json', readHint: 'check that it is a readable file', syntaxHint: 'fix the JSON syntax',
  }) as CdktfJson | undefined;
  if (config === undefined) return undefined;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ButterError('CDKTF_JSON_INVALID', 'cdktf.json must hold a JSON object', { file, hint: 'write it as { "app": "...", "output": "cdktf.out" }' });
  }
  if (config.output !== undefined && (typeof config.output !== 'string' || config.output === '')) {
    throw new ButterError('CDKTF_JSON_INVALID', 'cdktf.json "output" must be a folder name', { file, key: 'output', hint: 'set "output" to a folder, e.g. "cdktf.out", or leave it out' });
  }
  return { file, config };
}

/**
 * The absolute folder a project's stacks are synthesized into: cdktf.json's `output`, else cdktf's
 * default `cdktf.out` (also when there is no cdktf.json: commands that only read what was
 * synthesized do not need one).
 */
export function outputFolder(cwd: string): string {
  return path.resolve(cwd, readCdktfJson(cwd)?.config.output ?? 'cdktf.out');
}

/** Stacks listed in `<outdir>/manifest.json`. */
export function readManifest(outdir: string): SynthesizedStack[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    stacks: Record<string, { name: string; synthesizedStackPath: string; dependencies: string[] }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    name: s.name,
    file: path.join(outdir, s.synthesizedStackPath),
    dependencies: s.dependencies ?? [],
  }));
}

/** Stacks in an order where each comes after its dependencies. */
export function deployOrder(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const done = new Set<string>();
  const out: SynthesizedStack[] = [];
  const visit = (s: SynthesizedStack, trail: string[]) => {
    if (done.has(s.name)) return;
    if (trail.includes(s.name)) throw new ButterError('STACK_CYCLE', `stacks depend on each other: ${[...trail, s.name].join(' -> ')}`);
    for (const d of s.dependencies) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...trail, s.name]);
    }
    done.add(s.name);
    out.push(s);
  };
  for (const s of stacks) visit(s, []);
  return out;
}

/** Pick stacks by name (all when none given); unknown names are an error listing the known ones. */
export function selectStacks(all: readonly SynthesizedStack[], names: readonly string[]): SynthesizedStack[] {
  if (names.length === 0) return [...all];
  return names.map((n) => {
    const s = all.find((x) => x.name === n);
    if (!s) {
      throw new ButterError('STACK_UNKNOWN', `no stack named "${n}"`, { hint: `stacks are: ${all.map((x) => x.name).join(', ')}` });
    }
    return s;
  });
}

/**
 * Run `command` in a shell. With `signal`, the shell runs in its own process group, which an
 * abort kills whole (the shell's child, e.g. `npx tsx main.ts`, would outlive the shell alone);
 * the call then rejects once the group is gone.
 */
function runShell(command: string, cwd: string, env: Record<string, string>, signal?: AbortSignal): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn(command, { cwd, shell: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: signal !== undefined });
    let output = '';
    const kill = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) reject(signal.reason);
      else resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * The ButterError an app died of, rebuilt from Node's crash report (`ButterError: <message>`,
 * an optional `  fix: ...` line, then the stack), or undefined when it died of something else.
 */
export function butterErrorIn(output: string): ButterError | undefined {
  const lines = output.split('\n');
  // `ButterError: ` is Node's report of an uncaught error (BUTTER_DEBUG=1, or an app run under
  // jest); `error: ` is what Butter's own handler prints (errors.ts installUncaughtErrorHandler).
  const start = lines.findIndex((l) => /^(ButterError|error): .* \[[A-Z0-9_]+\]$/.test(l));
  if (start < 0) return undefined;
  const m = /^(?:ButterError|error): (.*) \[([A-Z0-9_]+)\]$/.exec(lines[start])!;
  // Indented lines after it: the fix, or for an error listing several problems, each problem
  // (`  - <where>: <problem> [CODE]`, then its `      fix: ...`).
  let hint: string | undefined;
  const issues: ButterError[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^ {2}- (.*) \[([A-Z0-9_]+)\]$/.exec(line);
    const fix = /^ +fix: (.*)$/.exec(line);
    if (item) issues.push(new ButterError(item[2], item[1]));
    else if (fix && issues.length) issues[issues.length - 1] = new ButterError(issues[issues.length - 1].code, issues[issues.length - 1].problem, { hint: fix[1] });
    else if (fix && hint === undefined) hint = fix[1];
    else break;
  }
  return new ButterError(m[2], m[1], { hint }, issues);
}

/** The last `n` lines of `text`. */
export function tail(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
