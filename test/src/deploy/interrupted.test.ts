import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Network, Service } from '../../../constructs';
import { haproxyExample } from '../../../example-blueprints/stacks';
import { mockStateDir, mockWorkdir } from '../../../src/deploy/deploy';
import { CloudDocument } from '../../../src/mock/cloud/store';
import { terraformEnv } from '../mock/helpers/terraform';
import { MockProject } from './helpers';

/**
 * The promise: "an apply interrupted midway (kill the process) leaves both Terraform state
 * and the mock cloud consistent, and the next apply finishes the job". Terraform saves its state at
 * most every 20 s, so a SIGKILL leaves objects the mock cloud created but Terraform never recorded;
 * the next apply must adopt them rather than fail on duplicates or create them twice.
 */

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'example-blueprints');

/** Kill after this many "Creation complete" lines (of 46 resources). */
const KILL_AFTER = 15;

const build = (app: App): void => void haproxyExample(app, 'example', 'aws', { addressLedger: false });

/** Objects per kind in the mock AWS cloud (ids are counters, so compare counts). */
function census(dir: string): Record<string, number> {
  const doc = cloudDoc(dir);
  return Object.fromEntries(Object.entries(doc.objects).map(([kind, objects]) => [kind, Object.keys(objects).length]));
}

function cloudDoc(dir: string): CloudDocument {
  return JSON.parse(fs.readFileSync(path.join(mockStateDir(dir), 'aws.json'), 'utf8'));
}

function parses(file: string): boolean {
  try {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.trim() !== '') JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Resource ids in a Terraform state file (an empty or missing file is an empty state). */
function stateIds(workdir: string): Set<string> {
  const file = path.join(workdir, 'terraform.tfstate');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const state = text.trim() === '' ? { resources: [] } : JSON.parse(text);
  return new Set((state.resources as { mode: string; instances: { attributes: { id: string } }[] }[])
    .filter((r) => r.mode === 'managed').flatMap((r) => r.instances.map((i) => i.attributes.id)));
}


/**
 * Start `terraform apply` in `workdir` and SIGKILL it after KILL_AFTER creations; leave the state
 * file as a kill leaves it (empty more often than not) or, if Terraform finished first, empty it.
 */
async function killApplyMidway(workdir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const apply = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let created = 0;
  let rest = '';
  apply.stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.includes('Creation complete') && ++created === KILL_AFTER) apply.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => apply.once('close', (c, s) => resolve([c, s])));
  const stateFile = path.join(workdir, 'terraform.tfstate');
  if (signal !== 'SIGKILL') {
    // Terraform finished first (should not happen): forget its state, as a kill during its
    // state write would have, so every object is an orphan all the same.
    expect(code).toBe(0);
    fs.writeFileSync(stateFile, '');
  } else if (!parses(stateFile)) {
    // Terraform writes its local state after every change, truncating then writing. A kill
    // between the two (often) leaves it empty, which Terraform reads as no state; one inside
    // the write itself (very rarely) would leave half a file, which Terraform refuses to load.
    // Out of this test's scope (Butter would have to restore it): make it the empty case.
    fs.writeFileSync(stateFile, '');
  }

}

describe('an apply killed midway', () => {
  let reference: Record<string, number>;

  beforeAll(async () => {
    // What an uninterrupted deploy leaves in the cloud.
    const clean = await MockProject.create();
    try {
      const [outcome] = await clean.run('deploy', build);
      expect(outcome.summary).toBe('Apply complete! Resources: 46 added, 0 changed, 0 destroyed.');
      reference = census(clean.dir);
    } finally {
      await clean.close();
    }
  });

  test('re-applying adopts what the killed run created: no error, no duplicate, a clean plan', async () => {
    const project = await MockProject.create();
    try {
      await project.run('plan', build); // synthesize, init
      const workdir = mockWorkdir(project.dir, 'example');
      const env = terraformEnv(project.dir, { ...project.env, TF_CLI_CONFIG_FILE: path.join(project.dir, '.butter', 'mock', 'terraform.rc') });

      await killApplyMidway(workdir, env);
      const stateFile = path.join(workdir, 'terraform.tfstate');

      // Orphans: objects the cloud created that Terraform's state does not hold. A kill landing
      // right after a state write (no create in flight) leaves none: then take the empty state.
      const orphans = (): number => {
        const known = stateIds(workdir);
        return Object.keys(cloudDoc(project.dir).pendingCreates ?? {}).filter((key) => !known.has(key.slice(key.indexOf('/') + 1))).length;
      };
      if (orphans() === 0) fs.writeFileSync(stateFile, '');
      expect(orphans()).toBeGreaterThan(0);

      const [outcome] = await project.run('deploy');
      expect(outcome.summary).toMatch(/^Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\.$/);
      const [plan] = await project.run('plan');
      expect(plan.summary).toBe('No changes. Your infrastructure matches the configuration.');
      expect(plan.changes).toBe(false);

      // Exactly what an uninterrupted deploy leaves: one VPC, nine instances, no duplicate rule or
      // route table association, nothing else.
      expect(project.awsObjects('vpc')).toHaveLength(1);
      expect(project.awsObjects('instance')).toHaveLength(9);
      expect(census(project.dir)).toEqual(reference);
      // Every orphan was adopted, and that plan confirmed everything Terraform holds.
      expect(cloudDoc(project.dir).pendingCreates).toBeUndefined();
      expect(stateIds(workdir).size).toBe(46);
    } finally {
      await project.close();
    }
  }, 60_000);

  test('on a stack already deployed, an emptied state file is restored from its backup and the change completes', async () => {
    const project = await MockProject.create();
    try {
      // Deployed before: only the network and one service.
      // (The example's own construct ids, so the change below adds lb to this very stack.)
      const small = (app: App): void => {
        const dev = new Network(new TerraformStack(app, 'example'), 'dev', {
          cloud: 'aws', region: 'us-east-1', addressLedger: false, blueprint: path.join(EXAMPLES, 'network', 'blueprint.yml'),
        });
        new Service(dev, 'web', { blueprint: path.join(EXAMPLES, 'aws-nginx', 'blueprint.yml'), count: 6 });
      };
      await project.run('deploy', small);
      const before = project.awsObjects('vpc').map((v: any) => v.id);

      // The change (add lb and the paths) is killed midway, and its state file emptied.
      await project.run('plan', build);
      const workdir = mockWorkdir(project.dir, 'example');
      const env = terraformEnv(project.dir, { ...project.env, TF_CLI_CONFIG_FILE: path.join(project.dir, '.butter', 'mock', 'terraform.rc') });
      await killApplyMidway(workdir, env);
      fs.writeFileSync(path.join(workdir, 'terraform.tfstate'), '');

      const [outcome] = await project.run('deploy');
      expect(outcome.summary).toMatch(/^Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\.$/);
      const [plan] = await project.run('plan');
      expect(plan.changes).toBe(false);
      // The same VPC as before the change, and exactly the objects of an uninterrupted deploy.
      expect(project.awsObjects('vpc').map((v: any) => v.id)).toEqual(before);
      expect(census(project.dir)).toEqual(reference);
    } finally {
      await project.close();
    }
  }, 60_000);
});
