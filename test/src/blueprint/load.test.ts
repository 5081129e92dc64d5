import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import * as nunjucks from 'nunjucks';
import {
  clearBlueprintCache,
  DEFAULT_NETWORK_BLUEPRINT,
  loadNetworkBlueprint,
  loadServiceBlueprint,
  parseNetworkBlueprint,
  parseServiceBlueprint,
} from '../../../src/blueprint/load';

const examples = 'example-blueprints';
const good = 'test/fixtures/blueprints/good';
const abs = (...p: string[]) => path.resolve(...p);

beforeEach(() => clearBlueprintCache());

describe('example blueprints', () => {
  test('network', () => {
    expect(loadNetworkBlueprint(`${examples}/network/blueprint.yml`)).toEqual({
      file: `${examples}/network/blueprint.yml`,
      allowedPrivateCidr: '10.0.0.0/8',
      sizeBits: 16,
      nat: 'per-zone',
    });
  });

  test('subnetwork: network and placement only, everything else default', () => {
    expect(loadServiceBlueprint(`${examples}/subnetwork/blueprint.yml`)).toEqual({
      file: `${examples}/subnetwork/blueprint.yml`,
      subnetworkMaxInstanceCount: 768,
      availabilityZones: 3,
      instance: { publicIp: false, memoryMiB: 1024, cpus: 1, gpus: 0, disks: [], selection: 'cheapest' },
      image: {},
      initialization: [],
    });
  });

  const ubuntuOnBothClouds = {
    aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' },
    google: { family: 'ubuntu-2204-lts' },
  };

  test('aws-nginx: private, both clouds, a cloud-config without variables', () => {
    const file = `${examples}/aws-nginx/blueprint.yml`;
    const bp = loadServiceBlueprint(file);
    expect(bp).toEqual({
      file,
      subnetworkMaxInstanceCount: 768,
      availabilityZones: 3,
      instance: { publicIp: false, memoryMiB: 4096, cpus: 1, gpus: 0, disks: [{ sizeGiB: 8, type: 'standard' }], selection: 'cheapest' },
      image: ubuntuOnBothClouds,
      initialization: [
        { path: abs(examples, 'aws-nginx/nginx-cloud-config.yml'), source: expect.any(String), vars: {}, key: 'initialization[0]' },
      ],
    });
    const config = yaml.load(bp.initialization[0].source) as { packages: string[]; runcmd: string[] };
    expect(bp.initialization[0].source.startsWith('#cloud-config\n')).toBe(true);
    expect(config.packages).toEqual(['nginx']);
    // Rendering as a template must leave a variable-free script unchanged.
    expect(nunjucks.renderString(bp.initialization[0].source, {})).toBe(bp.initialization[0].source);
  });

  test('aws-haproxy: public, declares the required PrivateIps variable', () => {
    const file = `${examples}/aws-haproxy/blueprint.yml`;
    const bp = loadServiceBlueprint(file);
    expect(bp).toEqual({
      file,
      subnetworkMaxInstanceCount: 768,
      availabilityZones: 3,
      instance: { publicIp: true, memoryMiB: 4096, cpus: 1, gpus: 0, disks: [{ sizeGiB: 8, type: 'standard' }], selection: 'cheapest' },
      image: ubuntuOnBothClouds,
      initialization: [
        {
          path: abs(examples, 'aws-haproxy/haproxy-cloud-config.yml'),
          source: expect.any(String),
          vars: { PrivateIps: { required: true } },
          key: 'initialization[0]',
        },
      ],
    });
  });

  test('aws-haproxy: the template renders to a cloud-config listing every backend', () => {
    const { source } = loadServiceBlueprint(`${examples}/aws-haproxy/blueprint.yml`).initialization[0];
    const rendered = nunjucks.renderString(source, { PrivateIps: ['10.0.1.5', '10.0.2.6'] });
    const config = yaml.load(rendered) as { packages: string[]; write_files: { path: string; content: string }[] };
    expect(config.packages).toEqual(['haproxy']);
    const cfg = config.write_files.find((f) => f.path === '/etc/haproxy/haproxy.cfg')!.content;
    expect(cfg).toContain('backend web\n    balance roundrobin\n    option httpchk GET /\n' +
      '    server web1 10.0.1.5:80 check\n    server web2 10.0.2.6:80 check\n');
  });

  test('gce-apache: Google image family and project (project becomes owner)', () => {
    const file = `${examples}/gce-apache/blueprint.yml`;
    const bp = loadServiceBlueprint(file);
    expect(bp).toEqual({
      file,
      subnetworkMaxInstanceCount: 768,
      availabilityZones: 3,
      instance: { publicIp: true, memoryMiB: 4096, cpus: 1, gpus: 0, disks: [{ sizeGiB: 10, type: 'standard' }], selection: 'cheapest' },
      image: { google: { family: 'ubuntu-2204-lts', owner: 'ubuntu-os-cloud' } },
      initialization: [
        { path: abs(examples, 'gce-apache/apache-startup.sh'), source: expect.stringMatching(/^#!\/bin\/bash\n/), vars: {}, key: 'initialization[0]' },
      ],
    });
    expect(bp.initialization[0].source).toContain('apt-get install -y apache2');
  });

  test('a folder stands for its blueprint.yml', () => {
    const bp = loadServiceBlueprint(`${examples}/aws-nginx`);
    expect(bp.file).toBe(path.join(examples, 'aws-nginx', 'blueprint.yml'));
    expect(bp.instance.memoryMiB).toBe(4096);
  });
});

describe('defaults', () => {
  test('an empty service mapping gets every default', () => {
    expect(parseServiceBlueprint({})).toEqual({
      subnetworkMaxInstanceCount: 256,
      availabilityZones: 3,
      instance: { publicIp: false, memoryMiB: 1024, cpus: 1, gpus: 0, disks: [], selection: 'cheapest' },
      image: {},
      initialization: [],
    });
  });

  test('an empty network mapping is the default network', () => {
    expect(parseNetworkBlueprint({})).toEqual(DEFAULT_NETWORK_BLUEPRINT);
    expect(parseNetworkBlueprint({ network: {} })).toEqual(DEFAULT_NETWORK_BLUEPRINT);
    expect(DEFAULT_NETWORK_BLUEPRINT).toEqual({ allowedPrivateCidr: '10.0.0.0/8', sizeBits: 16, nat: 'per-zone' });
  });

  test('disk type defaults to standard; device name only when given', () => {
    const bp = parseServiceBlueprint({ instance: { disks: [{ size: '8GB' }, { size: '1TB', device_name: '/dev/sdf' }] } });
    expect(bp.instance.disks).toEqual([
      { sizeGiB: 8, type: 'standard' },
      { sizeGiB: 1024, type: 'standard', deviceName: '/dev/sdf' },
    ]);
  });
});

describe('other valid blueprints', () => {
  test('every service key at once, with YAML 1.1 style booleans (True, TRUE)', () => {
    expect(yaml.load('a: True\nb: FALSE')).toEqual({ a: true, b: false });
    const file = `${good}/full.yml`;
    expect(loadServiceBlueprint(file)).toEqual({
      file,
      subnetworkMaxInstanceCount: 100,
      availabilityZones: 2,
      instance: {
        publicIp: true,
        memoryMiB: 1536,
        cpus: 0.5,
        gpus: 2,
        disks: [
          { sizeGiB: 20, type: 'ssd', deviceName: '/dev/sda1' },
          { sizeGiB: 1024, type: 'io2' },
        ],
        type: { aws: 'm7g.large', google: 't2a-standard-2' },
        selection: 'requirements',
        architecture: 'arm64',
      },
      image: {
        default: { name: 'debian-12-arm64-*', owner: '136693071363' },
        google: { family: 'debian-12-arm64', owner: 'debian-cloud' },
      },
      initialization: [
        {
          path: abs(good, 'scripts/setup.sh'),
          source: '#!/bin/sh\necho "{{ Greeting }} on {{ Ports | join(\',\') }}"\n',
          vars: {
            Greeting: { required: false, default: 'hello' },
            Ports: { required: false, default: [80, 443] },
            Token: { required: true },
            Optional: { required: false },
          },
          key: 'initialization[0]',
        },
      ],
    });
  });

  test('flat image, gpu: true, and a one-name instance type assigned by its naming', () => {
    const bp = loadServiceBlueprint(`${good}/flat-image.yml`);
    expect(bp.image).toEqual({ default: { family: 'ubuntu-2204-lts', owner: 'ubuntu-os-cloud' } });
    expect(bp.instance.gpus).toBe(1);
    expect(bp.instance.type).toEqual({ google: 'e2-small' });
    expect(parseServiceBlueprint({ instance: { type: 't3.micro' } }).instance.type).toEqual({ aws: 't3.micro' });
    expect(parseServiceBlueprint({ instance: { type: 'c7i-flex.large' } }).instance.type).toEqual({ aws: 'c7i-flex.large' });
  });

  test('image.google accepts owner as a synonym of project', () => {
    const bp = parseServiceBlueprint({ image: { google: { family: 'debian-12', owner: 'debian-cloud' } } });
    expect(bp.image.google).toEqual({ family: 'debian-12', owner: 'debian-cloud' });
  });

  test('custom network', () => {
    expect(loadNetworkBlueprint(`${good}/network-custom.yml`)).toEqual({
      file: `${good}/network-custom.yml`,
      allowedPrivateCidr: '172.16.0.0/12',
      sizeBits: 12,
      nat: 'single',
    });
  });

  test('blueprints built in code: scripts are found relative to `dir`', () => {
    const bp = parseServiceBlueprint(
      { instance: { memory: '2GB' }, initialization: [{ path: 'setup.sh', vars: { Name: { default: 'x' } } }] },
      { dir: abs(good, 'scripts') },
    );
    expect(bp.file).toBeUndefined();
    expect(bp.instance.memoryMiB).toBe(2048);
    expect(bp.initialization[0]).toMatchObject({ path: abs(good, 'scripts/setup.sh'), vars: { Name: { required: false, default: 'x' } } });
  });

  test('results are frozen', () => {
    const bp = loadServiceBlueprint(`${examples}/aws-haproxy/blueprint.yml`);
    expect(Object.isFrozen(bp)).toBe(true);
    expect(Object.isFrozen(bp.instance.disks[0])).toBe(true);
    expect(Object.isFrozen(bp.initialization[0].vars.PrivateIps)).toBe(true);
  });
});

describe('cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-bp-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string, mtime: Date) => {
    fs.writeFileSync(path.join(dir, name), text);
    fs.utimesSync(path.join(dir, name), mtime, mtime);
  };

  test('one file loaded 100 times is parsed once', () => {
    write('bp.yml', 'instance: {memory: 2GB}\ninitialization: [{path: s.sh}]\n', new Date(2020, 0, 1));
    write('s.sh', 'echo one\n', new Date(2020, 0, 1));
    const file = path.join(dir, 'bp.yml');
    const first = loadServiceBlueprint(file);
    for (let i = 0; i < 100; i++) expect(loadServiceBlueprint(file)).toBe(first);
  });

  test('a changed blueprint or script is read again', () => {
    const file = path.join(dir, 'bp.yml');
    write('bp.yml', 'instance: {memory: 2GB}\ninitialization: [{path: s.sh}]\n', new Date(2020, 0, 1));
    write('s.sh', 'echo one\n', new Date(2020, 0, 1));
    const first = loadServiceBlueprint(file);

    write('bp.yml', 'instance: {memory: 3GB}\ninitialization: [{path: s.sh}]\n', new Date(2020, 0, 2));
    const second = loadServiceBlueprint(file);
    expect(second).not.toBe(first);
    expect(second.instance.memoryMiB).toBe(3072);

    write('s.sh', 'echo two\n', new Date(2020, 0, 3));
    const third = loadServiceBlueprint(file);
    expect(third.initialization[0].source).toBe('echo two\n');
    expect(loadServiceBlueprint(file)).toBe(third);
  });

  test('an unchanged stamp is trusted for files older than a couple of seconds (no read at all)', () => {
    const file = path.join(dir, 'bp.yml');
    const old = new Date(2020, 0, 1);
    write('bp.yml', 'instance: {memory: 2GB}\n', old);
    const first = loadServiceBlueprint(file);
    // Same size, same inode, same mtime: indistinguishable by stat, so the cache is not re-read.
    write('bp.yml', 'instance: {memory: 3GB}\n', old);
    expect(loadServiceBlueprint(file)).toBe(first);
  });

  test('a just-written file is compared by content, so a same-stamp rewrite is still seen', () => {
    const file = path.join(dir, 'bp.yml');
    const now = new Date();
    write('bp.yml', 'instance: {memory: 2GB}\n', now);
    const first = loadServiceBlueprint(file);
    expect(loadServiceBlueprint(file)).toBe(first);
    write('bp.yml', 'instance: {memory: 3GB}\n', now);
    expect(loadServiceBlueprint(file).instance.memoryMiB).toBe(3072);
  });

  test('`file` is the path as each caller spelled it', () => {
    const relative = `${examples}/network/blueprint.yml`;
    const absolute = abs(relative);
    expect(loadNetworkBlueprint(relative).file).toBe(relative);
    expect(loadNetworkBlueprint(absolute).file).toBe(absolute);
    expect(loadNetworkBlueprint(relative).file).toBe(relative);
  });
});
