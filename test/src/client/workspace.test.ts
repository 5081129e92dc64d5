import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Client } from '../../../src/client';
import { emptyWorkspace, parseWorkspace, readWorkspace, toStoredPath, fromStoredPath, WORKSPACE_FILE, writeWorkspace } from '../../../src/client/workspace';
import { removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

/** A valid workspace document to break one key at a time. */
function doc(): any {
  return {
    version: 1,
    target: 'mock-aws',
    region: 'us-east-1',
    networks: [{ name: 'dev' }, { name: 'prod', blueprint: 'net.yml' }],
    services: [{ network: 'dev', name: 'web', blueprint: 'web.yml', count: 3, vars: { Greeting: 'hi' } }],
    paths: [{ network: 'dev', source: '0.0.0.0/0', destination: 'web', port: 80 }],
  };
}

function errorOf(value: unknown): any {
  try {
    parseWorkspace(value, 'ws.json');
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('workspace file', () => {
  test('round trip: written atomically, read back equal, ports stored canonically', () => {
    const dir = tempDir('butter-ws-');
    const file = path.join(dir, WORKSPACE_FILE);
    expect(readWorkspace(file)).toBeUndefined();
    const ws = parseWorkspace(doc());
    expect(ws.paths[0].port).toBe('tcp:80');
    writeWorkspace(file, ws);
    expect(readWorkspace(file)).toEqual(ws);
    expect(fs.readdirSync(dir)).toEqual([WORKSPACE_FILE]); // no temp files left behind
    expect(parseWorkspace(emptyWorkspace('mock-google', 'us-central1', 'p'))).toEqual({
      version: 1, target: 'mock-google', region: 'us-central1', project: 'p', networks: [], services: [], paths: [],
    });
  });

  test('blueprint paths are stored relative to the workspace folder, with forward slashes', () => {
    expect(toStoredPath('/w/ws', '/w/bp/web.yml')).toBe('../bp/web.yml');
    expect(fromStoredPath('/w/ws', '../bp/web.yml')).toBe('/w/bp/web.yml');
  });

  test.each([
    ['unknown top-level key, with the near spelling', (d: any) => { d.servics = d.services; }, 'servics', /unknown key "servics"/, /did you mean "services"\?/],
    ['unknown key in an entry', (d: any) => { d.services[0].netwrk = 'dev'; }, 'services[0].netwrk', /unknown key "netwrk"/, /did you mean "network"\?/],
    ['bad target', (d: any) => { d.target = 'mock-aw'; }, 'target', /"mock-aw" is not one of: mock-aws, mock-google, aws, google/, /did you mean "mock-aws"\?/],
    ['missing key', (d: any) => { delete d.region; }, 'region', /missing required key "region"/, /add it/],
    ['wrong type', (d: any) => { d.services[0].count = 'three'; }, 'services[0].count', /expected number, got "three"/, /fix the value/],
    ['bad name', (d: any) => { d.networks[0].name = 'has space'; }, 'networks[0].name', /"has space" is not a valid name/, /a letter, then/],
    ['service in an unknown network', (d: any) => { d.services[0].network = 'deb'; }, 'services[0].network', /network "deb" is not in "networks"/, /did you mean "dev"\?/],
    ['path to an unknown service', (d: any) => { d.paths[0].destination = 'api'; }, 'paths[0].destination', /service "api" is not in network "dev"/, /services are: web/],
    ['path source neither service nor CIDR', (d: any) => { d.paths[0].source = 'lb'; }, 'paths[0].source', /"lb" is neither a service of network "dev" nor a CIDR block/, /0\.0\.0\.0\/0/],
    ['bad port', (d: any) => { d.paths[0].port = 'tcp:99999'; }, 'paths[0].port', /port range/, /0 to 65535/],
    ['duplicate network', (d: any) => { d.networks.push({ name: 'dev' }); }, 'networks[2].name', /listed twice/, /one entry/],
  ])('%s: WORKSPACE_INVALID naming the file and the key', (_what, breakIt, key, problem, hint) => {
    const d = doc();
    breakIt(d);
    const e = errorOf(d);
    expect(e.file).toBe('ws.json');
    expect(e.key).toBe(key);
    expect(e.problem).toMatch(problem);
    expect(e.hint).toMatch(hint);
  });

  test('a huge bad value is quoted cut short', () => {
    const big = 'x'.repeat(5_000_000);
    const ws = { ...emptyWorkspace('mock-aws', 'us-east-1'), target: big };
    let message = '';
    try {
      parseWorkspace(ws, 'ws.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^ws\.json: target: "x{79}… is not one of/);
    expect(message.length).toBeLessThan(400);
  });

  test('Client.open reports a broken workspace file by file and key', async () => {
    const dir = tempDir('butter-ws-bad-');
    const file = path.join(dir, WORKSPACE_FILE);
    fs.writeFileSync(file, '{"version": 1, "target": "mock-aws", "region": "us-east-1", "networks": [{"nme": "dev"}], "services": [], "paths": []}');
    await expect(Client.open({ dir })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID', file, key: 'networks[0].nme', hint: 'did you mean "name"?' });
    fs.writeFileSync(file, '{"version": 1,');
    await expect(Client.open({ dir })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID', file, problem: expect.stringMatching(/not valid JSON/) });
  });
});

describe('the workspace backend: untrusted input', () => {
  const withBackend = (backend: unknown) => ({ ...doc(), target: 'aws', backend });

  test('valid backends are kept as written', () => {
    for (const b of [{ type: 'local' }, { type: 'pg' }, { type: 'pg', schemaPrefix: 'team_a' }, { type: 's3', bucket: 'b.example', keyPrefix: 'a/b-c', region: 'eu-west-1' }, { type: 'gcs', bucket: 'b', prefix: 'x/y' }]) {
      expect(parseWorkspace(withBackend(b)).backend).toEqual(b);
    }
  });

  test.each([
    ['a Terraform expression', { type: 's3', bucket: '${file("/etc/passwd")}' }, 'backend.bucket', 'is not a valid bucket'],
    ['a template directive', { type: 'gcs', bucket: 'b', prefix: '%{ for x in y }' }, 'backend.prefix', 'is not a valid prefix'],
    ['a quote and a newline', { type: 's3', bucket: 'b', keyPrefix: 'a"\n}' }, 'backend.keyPrefix', 'is not a valid keyPrefix'],
    ['a path out of its prefix', { type: 's3', bucket: 'b', keyPrefix: 'a/../../x' }, 'backend.keyPrefix', 'is not a valid keyPrefix'],
    ['an absolute path', { type: 'gcs', bucket: 'b', prefix: '/etc' }, 'backend.prefix', 'is not a valid prefix'],
    ['SQL in a schema name', { type: 'pg', schemaPrefix: 'x"; DROP SCHEMA public; --' }, 'backend.schemaPrefix', 'is not a valid schemaPrefix'],
    ['a huge value', { type: 's3', bucket: 'b'.repeat(100_000) }, 'backend.bucket', 'is not a valid bucket'],
    ['credentials', { type: 'pg', connStr: 'postgres://u:secret@db/x' }, 'backend.connStr', 'unknown key "connStr" in "backend"'],
    ['a backend Butter does not configure', { type: 'http', address: 'http://evil' }, 'backend.type', '"http" is not a backend Butter configures'],
    ['not an object', 'pg', 'backend', 'expected object'],
    ['a prototype key', JSON.parse('{"type": "pg", "__proto__": {"schemaPrefix": "x"}}'), 'backend.__proto__', 'unknown key'],
  ])('%s is refused, naming the key', (_what, backend, key, problem) => {
    const e = errorOf(withBackend(backend));
    expect(e).toMatchObject({ code: 'WORKSPACE_INVALID', key, file: 'ws.json' });
    expect(e.problem).toContain(problem);
    expect(e.problem.length).toBeLessThan(200); // a huge value is quoted, not echoed whole
  });

  test('credentials are never accepted: the hint says where they go', () => {
    expect(errorOf(withBackend({ type: 's3', bucket: 'b', secretKey: 'x' })).hint).toContain('Terraform reads them from the environment (PG_CONN_STR, AWS_*, GOOGLE_*)');
  });
});

test('any backend value is refused or a plain name: never a Terraform expression, quote, space or parent path', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('bucket', 'keyPrefix', 'region'), (value, key) => {
    const backend = { type: 's3', bucket: 'b', [key]: value };
    let accepted: string | undefined;
    try {
      accepted = (parseWorkspace({ ...doc(), target: 'aws', backend }).backend as any)[key];
    } catch (e: any) {
      expect(e.code).toBe('WORKSPACE_INVALID');
      return;
    }
    expect(accepted).toBe(value);
    expect(value).toMatch(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/);
    expect(value).not.toContain('..');
    expect(value).not.toMatch(/[${}%"\\\s]/);
  }), { numRuns: 500 });
});
