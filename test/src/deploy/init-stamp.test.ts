import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformHclModule, TerraformStack } from 'cdktf';
import { Network } from '../../../constructs';
import { runStacks, mockWorkdir } from '../../../src/deploy/deploy';
import { initIsCurrent, initKey, recordInit } from '../../../src/deploy/init-stamp';
import { Progress } from '../../../src/deploy/progress';
import { tempDir } from '../../helpers/synth';
import { MockProject } from './helpers';

const REATTACH = { TF_REATTACH_PROVIDERS: JSON.stringify({ 'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc' } }) };

/** A stack folder holding `config` as its cdk.tf.json. */
function folder(config: unknown): string {
  const dir = tempDir('butter-init-');
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

const base = {
  terraform: { required_providers: { aws: { source: 'aws', version: '6.0.0' } }, backend: { http: {} } },
  resource: { aws_vpc: { a: { cidr_block: '10.0.0.0/16' } } },
};

describe('when a mock stack folder needs terraform init', () => {
  test('the key follows the terraform block, the modules and the reattached providers, not the resources', () => {
    const key = initKey(base, REATTACH);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // Resources are not init's business.
    expect(initKey({ ...base, resource: { aws_vpc: { b: { cidr_block: '10.1.0.0/16' } } } }, REATTACH)).toBe(key);
    // A provider version, a backend, a module source, another reattached provider: init again.
    const otherVersion = { ...base, terraform: { ...base.terraform, required_providers: { aws: { source: 'aws', version: '6.1.0' } } } };
    expect(initKey(otherVersion, REATTACH)).not.toBe(key);
    expect(initKey({ ...base, terraform: { ...base.terraform, backend: { local: {} } } }, REATTACH)).not.toBe(key);
    expect(initKey({ ...base, module: { m: { source: './one' } } }, REATTACH)).not.toBe(initKey({ ...base, module: { m: { source: './two' } } }, REATTACH));
    const both = { TF_REATTACH_PROVIDERS: JSON.stringify({ 'registry.terraform.io/hashicorp/aws': {}, 'registry.terraform.io/hashicorp/google': {} }) };
    expect(initKey(base, both)).not.toBe(key);
  });

  test('plugins from a mirror (no reattached providers) and a cdk.tf.json that is not an object always get init', () => {
    expect(initKey(base, {})).toBeUndefined();
    for (const broken of [null, 'text', 7, { module: 7 }, { module: { m: null } }]) {
      expect(() => initKey(broken, REATTACH)).not.toThrow();
    }
    expect(initKey(null, REATTACH)).toBeUndefined();
    expect(initIsCurrent(folder(base), undefined)).toBe(false);
  });

  test('the stamp lives in .terraform: recorded after init, forgotten with the folder or with no key', () => {
    const dir = folder(base);
    const key = initKey(base, REATTACH)!;
    recordInit(dir, key); // no .terraform yet: nothing to remember (init did not make one)
    expect(initIsCurrent(dir, key)).toBe(false);
    fs.mkdirSync(path.join(dir, '.terraform'));
    const settings = path.join(dir, '.terraform', 'terraform.tfstate');
    fs.writeFileSync(settings, '{"backend":{"type":"http"}}');
    recordInit(dir, key);
    expect(initIsCurrent(dir, key)).toBe(true);
    expect(initIsCurrent(dir, initKey({ ...base, module: { m: { source: './x' } } }, REATTACH))).toBe(false);
    // An init by hand (another backend block) rewrites the backend settings: init again.
    fs.writeFileSync(settings, '{"backend":{"type":"http","config":{"address":"x"}}}');
    expect(initIsCurrent(dir, key)).toBe(false);
    recordInit(dir, key);
    expect(initIsCurrent(dir, key)).toBe(true);
    recordInit(dir, undefined);
    expect(initIsCurrent(dir, key)).toBe(false);
    // The stamp is a file in the project: whatever someone put there only means "init again".
    const stamp = path.join(dir, '.terraform', 'butter-init.json');
    for (const junk of ['', '{', 'null', '[1]', JSON.stringify({ key: { toString: 1 } }), JSON.stringify({ key, backend: 1 }), 'x'.repeat(1 << 20)]) {
      fs.writeFileSync(stamp, junk);
      expect(initIsCurrent(dir, key)).toBe(false);
    }
    recordInit(dir, key);
    fs.rmSync(path.join(dir, '.terraform'), { recursive: true });
    expect(initIsCurrent(dir, key)).toBe(false);
  });

  test('a second deploy skips init though the state server moved to another port; without .terraform, or when Terraform asks for it, init runs again', async () => {
    const project = await MockProject.create();
    const moduleDir = tempDir('butter-init-module-');
    fs.writeFileSync(path.join(moduleDir, 'main.tf'), 'output "answer" {\n  value = 42\n}\n');
    try {
      const steps: string[] = [];
      const progress: Progress = { step: (label, fn) => (steps.push(label), fn()), line: () => undefined };
      const deploy = async () => {
        steps.length = 0;
        project.synth((app: App) => {
          const stack = new TerraformStack(app, 'net');
          new Network(stack, 'dev', { cloud: 'aws', region: 'us-east-1', addressLedger: false });
          new TerraformHclModule(stack, 'local', { source: moduleDir }); // installed by init
        });
        const [outcome] = await runStacks({ cwd: project.dir, action: 'deploy', skipSynth: true, progress });
        return outcome.summary;
      };
      expect(await deploy()).toMatch(/^Apply complete! Resources: [1-9]\d* added/);
      expect(steps).toEqual(['start mock cloud', 'net: terraform init', 'net: terraform apply']);
      expect(await deploy()).toMatch(/Resources: 0 added, 0 changed, 0 destroyed/);
      expect(steps).toEqual(['start mock cloud', 'net: terraform apply']);
      // Without its .terraform folder, the stack is initialized again, and nothing changes.
      const workdir = mockWorkdir(project.dir, 'net');
      fs.rmSync(path.join(workdir, '.terraform'), { recursive: true });
      expect(await deploy()).toMatch(/Resources: 0 added, 0 changed, 0 destroyed/);
      expect(steps).toContain('net: terraform init');

      // What the key cannot see (here: the modules init installed, removed by hand): Terraform
      // asks for init before doing anything; init runs, and so does the apply, once more.
      fs.rmSync(path.join(workdir, '.terraform', 'modules'), { recursive: true });
      expect(await deploy()).toMatch(/Resources: 0 added, 0 changed, 0 destroyed/);
      expect(steps).toEqual(['start mock cloud', 'net: terraform apply', 'net: terraform init', 'net: terraform apply']);
    } finally {
      await project.close();
    }
  });
});
