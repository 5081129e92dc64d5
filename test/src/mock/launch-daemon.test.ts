import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Mirror, prepareMirror, stopMirrorDaemon } from '../../../src/mock/launch/mirror';
import { askLaunchDaemon, LAUNCH_PROTOCOL } from '../../../src/mock/launch/launch-client';
import { PluginCommand } from '../../../src/mock/launch/command';
import { pluginServices } from '../../../src/mock/proto/load';
import { DEMO_ENTRY } from './fixtures/demo-provider';
import { cloudState, demoCommand, scratch, terraformEnv, tf, writeConfig } from './helpers/terraform';
import { isAlive } from '../../../src/util/process';

/**
 * The mirror's plugin launcher (launcher.c) and its launch daemon: Terraform gets a provider the
 * daemon serves instead of a Node process per phase. Terraform runs through it, two at once, a
 * killed daemon is replaced, Shutdown ends only its own listener, a folder that is not private
 * makes the launcher run the Node plugin instead, and hostile requests get errors. Every daemon
 * started here is stopped in afterAll (stopMirrorDaemon waits for its exit).
 */
const COOKIE = { TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2', PLUGIN_PROTOCOL_VERSIONS: '6' };

describe('plugin launcher and launch daemon', () => {
  const { dir, cleanup } = scratch('launchd');
  const sockets = path.join(dir, 's');
  const mirrors: Mirror[] = [];
  let command: PluginCommand;
  beforeAll(async () => {
    command = await demoCommand(path.join(dir, 'bundle'));
  });
  afterAll(async () => {
    for (const m of mirrors) await stopMirrorDaemon(m);
    cleanup();
  });

  async function mirror(name: string): Promise<Mirror> {
    const m = await prepareMirror(path.join(dir, name), {
      providers: [DEMO_ENTRY], command, stateDir: path.join(dir, `${name}-state`), launcher: { socketDir: sockets },
    });
    expect(m.launcher).toBeDefined(); // a C compiler is part of the dev machine
    mirrors.push(m);
    return m;
  }

  async function status(m: Mirror): Promise<{ pid: number; launches: number; open: number } | undefined> {
    const answer = await askLaunchDaemon(m.launcher!.socket, 'status');
    return answer === undefined ? undefined : JSON.parse(answer);
  }

  /** The runner as Terraform starts it: `butter-provider.sh plugin mock`. */
  function plugin(m: Mirror, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
    return spawn(path.join(m.dir, 'butter-provider.sh'), ['plugin', 'mock'], {
      env: { PATH: process.env.PATH ?? '', ...COOKIE, ...env },
    });
  }

  function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
      });
      stream.on('end', () => resolve(text));
    });
  }

  function collect(stream: NodeJS.ReadableStream): () => string {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    return () => text;
  }

  test('Terraform runs through the launcher: one daemon serves every phase', async () => {
    const m = await mirror('one');
    const work = path.join(dir, 'one-work');
    fs.mkdirSync(work);
    writeConfig(work, { a: { name: 'alpha', size: 1 } });
    const env = terraformEnv(work, { ...m.env });
    await tf(work, env, 0, 'init', '-input=false');
    await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
    await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');
    const s = await status(m);
    // validate, plan and apply, then the plan's own starts: every one was a launch.
    expect(s!.launches).toBeGreaterThanOrEqual(4);
    expect(Object.keys(cloudState(path.join(dir, 'one-state')).objects.thing)).toHaveLength(1);
    // Every launcher has exited, and with it its listener.
    await waitFor(async () => (await status(m))!.open === 0);
  });

  test('two Terraform runs at once share the daemon, each with listeners of its own', async () => {
    const m = await mirror('two');
    const works = ['a', 'b'].map((n) => path.join(dir, `two-${n}`));
    await Promise.all(works.map(async (work, i) => {
      fs.mkdirSync(work);
      writeConfig(work, { [`t${i}`]: { name: `thing-${i}`, size: i + 1 } });
      const env = terraformEnv(work, { ...m.env });
      await tf(work, env, 0, 'init', '-input=false');
      await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
    }));
    const things = Object.values(cloudState(path.join(dir, 'two-state')).objects.thing) as Array<{ name: string }>;
    expect(things.map((t) => t.name).sort()).toEqual(['thing-0', 'thing-1']);
    expect((await status(m))!.launches).toBeGreaterThanOrEqual(6);
  });

  test('a killed daemon leaves a stale socket: the next plugin start replaces it', async () => {
    const m = await mirror('stale');
    const first = plugin(m);
    expect(await firstLine(first.stdout)).toMatch(/^1\|6\|unix\|/);
    const before = (await status(m))!.pid;
    process.kill(before, 'SIGKILL');
    // The launcher notices its daemon went away and exits (Terraform would see the plugin exit).
    expect(await exitCode(first)).toBe(0);
    expect(fs.existsSync(m.launcher!.socket)).toBe(true);
    await expect(askLaunchDaemon(m.launcher!.socket, 'status')).resolves.toBeUndefined();

    const second = plugin(m);
    expect(await firstLine(second.stdout)).toMatch(/^1\|6\|unix\|/);
    const after = (await status(m))!.pid;
    expect(after).not.toBe(before);
    second.kill('SIGTERM');
    await exitCode(second);
  });

  test('Shutdown ends that plugin only; a killed launcher closes its listener', async () => {
    const m = await mirror('shutdown');
    const a = plugin(m);
    const b = plugin(m);
    const [lineA, lineB] = await Promise.all([firstLine(a.stdout), firstLine(b.stdout)]);
    const addressA = lineA.split('|')[3];
    const addressB = lineB.split('|')[3];
    expect(addressA).not.toBe(addressB);
    expect(lineA.split('|')[5]).toBe(''); // no PLUGIN_CLIENT_CERT: plaintext, as with TF_DISABLE_PLUGIN_TLS

    const services = pluginServices();
    const Controller = grpc.makeGenericClientConstructor(services.controller, 'Controller');
    const Provider = grpc.makeGenericClientConstructor(services.provider, 'Provider');
    const call = <T>(client: grpc.Client, method: string): Promise<T> => new Promise((resolve, reject) => {
      (client as unknown as Record<string, (r: object, cb: (e: Error | null, v: T) => void) => void>)[method]({}, (e, v) => (e ? reject(e) : resolve(v)));
    });
    const credentials = grpc.credentials.createInsecure();
    const providerB = new Provider(`unix://${addressB}`, credentials);
    a.kill('SIGINT'); // ignored, as go-plugin plugins do: Terraform stops providers itself
    await new Promise((r) => setTimeout(r, 100));
    expect(a.exitCode).toBeNull();

    const controllerA = new Controller(`unix://${addressA}`, credentials);
    await call(controllerA, 'Shutdown');
    expect(await exitCode(a)).toBe(0);
    await waitFor(() => !fs.existsSync(path.dirname(addressA)));
    // B is untouched.
    const schema = await call<{ resource_schemas: Record<string, unknown> }>(providerB, 'GetProviderSchema');
    expect(Object.keys(schema.resource_schemas)).toEqual(['mock_thing']);

    b.kill('SIGTERM');
    await exitCode(b);
    await waitFor(() => !fs.existsSync(path.dirname(addressB)));
    expect((await status(m))!.open).toBe(0);
    controllerA.close();
    providerB.close();
  });

  test('a socket folder open to others, or another user\'s, makes the launcher start the Node plugin', async () => {
    const m = await mirror('open');
    const folder = path.dirname(m.launcher!.socket);
    const check = async (): Promise<void> => {
      const child = plugin(m, { BUTTER_MOCK_STATE_DIR: path.join(dir, 'open-state') });
      const stderr = collect(child.stderr);
      expect(await firstLine(child.stdout)).toMatch(/^1\|6\|unix\|/);
      expect(stderr()).toContain("butter-launch: the launch daemon's folder is not private to this user; starting the plugin directly");
      child.kill('SIGTERM');
      await exitCode(child);
    };
    fs.chmodSync(folder, 0o755);
    try {
      await check();
      if (process.geteuid?.() === 0) {
        fs.chmodSync(folder, 0o700);
        fs.chownSync(folder, 65534, 65534);
        await check();
      }
    } finally {
      fs.chownSync(folder, process.geteuid?.() ?? 0, process.getegid?.() ?? 0);
      fs.chmodSync(folder, 0o700);
    }
    // Nothing was launched through a daemon.
    await expect(askLaunchDaemon(m.launcher!.socket, 'status')).resolves.toBeUndefined();
  });

  test('hostile requests get an error line and the daemon keeps serving', async () => {
    const m = await mirror('hostile');
    const child = plugin(m);
    await firstLine(child.stdout); // the daemon runs now
    const socket = m.launcher!.socket;
    const ask = (payload: Buffer | string): Promise<string> => new Promise((resolve) => {
      const conn = net.connect(socket);
      let answer = '';
      conn.setEncoding('utf8');
      conn.on('data', (d: string) => {
        answer += d;
        // A launch keeps the connection (it is the plugin's life): the first line is the answer.
        if (answer.includes('\n')) conn.destroy();
      });
      conn.on('error', () => undefined);
      conn.once('close', () => resolve(answer));
      conn.once('connect', () => conn.write(payload));
    });
    const request = (fields: Record<string, string>): string => `${LAUNCH_PROTOCOL}\0${Object.entries(fields).map(([k, v]) => `${k}\0${v}\0`).join('')}\0`;
    const good = { provider: 'mock', magic_cookie: COOKIE.TF_PLUGIN_MAGIC_COOKIE, protocol_versions: '6', state_dir: path.join(dir, 'hostile-state') };
    expect(await ask('GET / HTTP/1.1\r\n\r\n\0x\0\0')).toMatch(/^error not a launch request/);
    expect(await ask(request({ ...good, env: 'LD_PRELOAD=/tmp/x.so' }))).toMatch(/^error unknown request field "env"/);
    expect(await ask(request({ ...good, provider: 'aws' }))).toMatch(/^error unknown mock provider "aws"/);
    expect(await ask(request({ ...good, magic_cookie: 'x' }))).toMatch(/^error This is a Terraform provider plugin/);
    expect(await ask(request({ ...good, protocol_versions: '5' }))).toMatch(/^error The Butter mock cloud speaks plugin protocol 6/);
    expect(await ask(request({ ...good, state_dir: '../../etc' }))).toMatch(/^error state_dir must be an absolute path/);
    expect(await ask(request({ ...good, client_cert: '-----BEGIN CERTIFICATE-----\nnope\n' }))).toMatch(/^error PLUGIN_CLIENT_CERT is not a PEM certificate/);
    expect(await ask(request({ ...good, command: 'exec' }))).toMatch(/^error unknown command "exec"/);
    expect(await ask(Buffer.concat([Buffer.from(`${LAUNCH_PROTOCOL}\0cwd\0`), Buffer.alloc(70 * 1024, 0x61)]))).toMatch(/^error the request is over 65536 bytes/);
    // Still serving: a well-formed launch gets a handshake.
    expect(await ask(request(good))).toMatch(/^1\|6\|unix\|/);
    child.kill('SIGTERM');
    await exitCode(child);
    expect((await status(m))!.launches).toBe(2);
  });

  test('a stop request takes no more launches but lets running plugins finish', async () => {
    const m = await mirror('graceful');
    const child = plugin(m);
    const address = (await firstLine(child.stdout)).split('|')[3];
    const { pid } = (await status(m))!;
    await expect(askLaunchDaemon(m.launcher!.socket, 'stop')).resolves.toBe('ok');
    expect(fs.existsSync(m.launcher!.socket)).toBe(false);
    // The running plugin still answers, and its daemon waits for it.
    const Provider = grpc.makeGenericClientConstructor(pluginServices().provider, 'Provider');
    const provider = new Provider(`unix://${address}`, grpc.credentials.createInsecure());
    const schema = await new Promise<{ resource_schemas: object }>((resolve, reject) => {
      (provider as unknown as Record<string, (r: object, cb: (e: Error | null, v: { resource_schemas: object }) => void) => void>)
        .GetProviderSchema({}, (e, v) => (e ? reject(e) : resolve(v)));
    });
    expect(Object.keys(schema.resource_schemas)).toEqual(['mock_thing']);
    provider.close();
    expect(isAlive(pid)).toBe(true);
    child.kill('SIGTERM');
    await exitCode(child);
    await waitFor(() => !isAlive(pid));
  });

  test('a daemon whose entry point is removed exits, writing nothing into its folder', async () => {
    const bundle = path.join(dir, 'own-bundle');
    const own = await demoCommand(bundle);
    const m = await prepareMirror(path.join(dir, 'own'), {
      providers: [DEMO_ENTRY], command: own, stateDir: path.join(dir, 'own-state'), launcher: { socketDir: sockets },
    });
    mirrors.push(m);
    const child = plugin(m);
    await firstLine(child.stdout);
    const { pid } = (await status(m))!;
    child.kill('SIGTERM');
    await exitCode(child);
    const before = fs.readdirSync(bundle).sort();
    fs.rmSync(own.args[0]); // launch.js, the daemon's entry point: its folder is being deleted
    await waitFor(() => !isAlive(pid));
    // The code cache the loader writes at exit (it started without one) would land in a folder
    // being deleted, and make that deletion fail.
    expect(fs.readdirSync(bundle).sort()).toEqual(before.filter((f) => f !== 'launch.js'));
    expect(before.some((f) => f.endsWith('.cache'))).toBe(false);
  });

  test('an idle daemon exits by itself (BUTTER_MOCK_LAUNCH_IDLE_MS)', async () => {
    const m = await mirror('idle');
    const child = plugin(m, { BUTTER_MOCK_LAUNCH_IDLE_MS: '300' });
    await firstLine(child.stdout);
    const { pid } = (await status(m))!;
    child.kill('SIGTERM');
    await exitCode(child);
    await waitFor(() => !isAlive(pid));
    expect(fs.existsSync(m.launcher!.socket)).toBe(false);
    expect(fs.existsSync(`${m.launcher!.socket}.log`)).toBe(false); // empty: nothing to keep
  });
});

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}


async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
