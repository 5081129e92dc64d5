import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pluginServices } from '../../../src/mock/proto/load';
import { PluginCommand } from '../../../src/mock';
import { demoCommand, scratch } from './helpers/terraform';

/**
 * The plugin process as go-plugin sees it: the handshake line, the magic cookie, SIGINT ignored,
 * the health service, and GRPCController.Shutdown ending the process. (TLS is exercised by the
 * end-to-end tests, where Terraform itself is the client.)
 */
describe('plugin process', () => {
  const { dir, cleanup } = scratch('plugin');
  let command: PluginCommand;
  beforeAll(async () => {
    command = await demoCommand();
  });
  afterAll(cleanup);

  const start = (env: Record<string, string>): ChildProcessWithoutNullStreams => spawn(command.executable, [...command.args, 'plugin', 'mock'], {
    env: { PATH: process.env.PATH ?? '', BUTTER_MOCK_STATE_DIR: path.join(dir, 'state'), ...env },
  });
  const output = (stream: NodeJS.ReadableStream): Promise<string> => new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text);
    });
    stream.on('end', () => resolve(text));
  });

  test('refuses to run without the magic cookie', async () => {
    const child = start({});
    const [stderr, code] = await Promise.all([output(child.stderr), new Promise((r) => child.once('exit', r))]);
    expect(code).toBe(1);
    expect(stderr).toContain('Terraform runs it, not you');
  });

  test('handshake, health, SIGINT ignored, schema served, Shutdown exits', async () => {
    const child = start({ TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2', PLUGIN_PROTOCOL_VERSIONS: '5,6' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = (await output(child.stdout)).trim();
    const [core, version, network, address, protocol, cert] = line.split('|');
    expect([core, version, network, protocol, cert]).toEqual(['1', '6', 'unix', 'grpc', '']);

    const services = pluginServices();
    const Client = grpc.makeGenericClientConstructor(services.provider, 'Provider');
    const Health = grpc.makeGenericClientConstructor(services.health, 'Health');
    const Controller = grpc.makeGenericClientConstructor(services.controller, 'Controller');
    const target = `unix://${address}`;
    const credentials = grpc.credentials.createInsecure();
    const call = <T>(client: grpc.Client, method: string, request: object): Promise<T> => new Promise((resolve, reject) => {
      (client as unknown as Record<string, (r: object, cb: (e: Error | null, v: T) => void) => void>)[method](request, (e, v) => (e ? reject(e) : resolve(v)));
    });

    const health = new Health(target, credentials);
    expect(await call(health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    expect(child.exitCode).toBeNull();

    const provider = new Client(target, credentials);
    const schema = await call<{ resource_schemas: Record<string, unknown> }>(provider, 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toEqual(['mock_thing']);

    await call(new Controller(target, credentials), 'Shutdown', {});
    expect(await exited).toBe(0);
    health.close();
    provider.close();
  });
});
