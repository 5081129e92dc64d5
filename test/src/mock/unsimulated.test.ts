import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMirror } from '../../../src/mock';
import { configuredTypes, realProviderHas, unsimulatedDiagnostics } from '../../../src/mock/framework/unsimulated';
import { scratch, terraformEnv, terraform, tf } from './helpers/terraform';

/**
 * Types the mock does not simulate say so on every path: plain terraform (and cdktf deploy, which
 * runs it in the stack folder) through the mirror, as well as butter deploy (coverage.ts).
 */
describe('unsimulated types', () => {
  const { dir, cleanup } = scratch('unsimulated');
  afterAll(cleanup);

  const simulated = { resources: new Set(['aws_vpc']), data: new Set<string>() };

  test('the real providers\' type lists tell unsimulated types from ones that do not exist', () => {
    expect(realProviderHas('aws', 'resource', 'aws_vpc_ipv4_cidr_block_association')).toBe(true);
    expect(realProviderHas('aws', 'data', 'aws_ami')).toBe(true);
    expect(realProviderHas('aws', 'resource', 'aws_ami_ids')).toBe(false);
    expect(realProviderHas('google', 'resource', 'google_compute_region_instance_template')).toBe(true);
    expect(realProviderHas('aws', 'resource', 'aws_vpcc')).toBe(false);
    expect(realProviderHas('google', 'resource', 'aws_vpc')).toBe(false);
  });

  test('configuration files are searched for type names, HCL and JSON, and modules init installed', () => {
    const work = path.join(dir, 'scan');
    fs.mkdirSync(path.join(work, '.terraform', 'modules'), { recursive: true });
    fs.mkdirSync(path.join(work, 'mods', 'net'), { recursive: true });
    fs.writeFileSync(path.join(work, 'main.tf'), 'resource "aws_vpc" "v" {}\n  data "aws_ami" "a" {\n}\n# resource "aws_commented" "x"\n');
    fs.writeFileSync(path.join(work, 'extra.tf.json'), JSON.stringify({ resource: { aws_eip: { e: {} } }, data: { aws_region: { r: {} } } }));
    fs.writeFileSync(path.join(work, 'mods', 'net', 'net.tf'), 'resource "aws_flow_log" "f" {}');
    fs.writeFileSync(path.join(work, 'notes.txt'), 'resource "aws_not_config" "x" {}');
    fs.writeFileSync(path.join(work, '.terraform', 'modules', 'modules.json'), JSON.stringify({
      Modules: [{ Key: '', Dir: '.' }, { Key: 'net', Dir: 'mods/net' }, { Key: 'evil', Dir: '../../../etc' }, { Key: 'bad', Dir: 7 }],
    }));
    const found = configuredTypes(work).map((u) => `${u.kind} ${u.type} ${u.file}`).sort();
    expect(found).toEqual([
      'data aws_ami main.tf', 'data aws_region extra.tf.json', 'resource aws_eip extra.tf.json',
      `resource aws_flow_log ${path.join('mods', 'net', 'net.tf')}`, 'resource aws_vpc main.tf',
    ]);
  });

  test('hostile configuration: bad JSON, JSON that is not an object, a folder named like a file, a huge file', () => {
    const work = path.join(dir, 'hostile');
    fs.mkdirSync(path.join(work, 'dir.tf'), { recursive: true });
    fs.writeFileSync(path.join(work, 'bad.tf.json'), '{"resource": ');
    fs.writeFileSync(path.join(work, 'list.tf.json'), '[{"resource": {"aws_eip": {}}}]');
    fs.writeFileSync(path.join(work, 'null.tf.json'), 'null');
    fs.writeFileSync(path.join(work, 'huge.tf'), Buffer.alloc(33 * 1024 * 1024, 0x20));
    expect(configuredTypes(work)).toEqual([]);
    expect(configuredTypes(path.join(dir, 'missing'))).toEqual([]);
  });

  test('diagnostics name each unsimulated real type once, with the file using it', () => {
    const work = path.join(dir, 'diags');
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'a.tf'), 'resource "aws_vpc" "v" {}\nresource "aws_vpc_ipv4_cidr_block_association" "x" {}\n'
      + 'resource "aws_vpc_ipv4_cidr_block_association" "y" {}\nresource "aws_vpcc" "typo" {}\nresource "google_compute_network" "g" {}\n');
    const diags = unsimulatedDiagnostics(work, 'aws', simulated);
    expect(diags).toEqual([{
      severity: 'error',
      summary: 'the Butter mock cloud does not simulate resource type aws_vpc_ipv4_cidr_block_association (the real provider hashicorp/aws has it)',
      detail: expect.stringContaining('a.tf uses it.'),
    }]);
  });

  test('plain terraform through the mirror: the provider names the unsimulated types, Terraform keeps its message for unknown ones', async () => {
    const base = path.join(dir, 'mirror');
    const work = path.join(base, 'work');
    fs.mkdirSync(work, { recursive: true });
    const mirror = await prepareMirror(path.join(base, 'mirror'), { stateDir: path.join(base, 'state') });
    const env = terraformEnv(base, mirror.env);
    fs.writeFileSync(path.join(work, 'main.tf'), [
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "6.25.0" }\n'
      + '    google = { source = "hashicorp/google", version = "6.50.0" }\n  }\n}',
      'resource "aws_vpc_ipv4_cidr_block_association" "extra" {\n  vpc_id     = "vpc-0123"\n  cidr_block = "10.1.0.0/16"\n}',
      'resource "google_compute_region_instance_template" "t" {\n  machine_type = "e2-small"\n  region = "us-central1"\n}',
    ].join('\n'));
    await tf(work, env, 0, 'init', '-input=false');
    const r = await terraform(work, env, 'validate');
    expect(r.code).toBe(1);
    const out = (r.stdout + r.stderr).replace(/\s+/g, ' ');
    expect(out).toContain('the Butter mock cloud does not simulate resource type aws_vpc_ipv4_cidr_block_association (the real provider hashicorp/aws has it)');
    expect(out).toContain('the Butter mock cloud does not simulate resource type google_compute_region_instance_template (the real provider hashicorp/google has it)');
    expect(out).not.toContain('does not support resource type');

    // A type no provider has keeps Terraform's own message, which is then right.
    fs.writeFileSync(path.join(work, 'main.tf'), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "6.25.0" }\n  }\n}\n'
      + 'resource "aws_vpcc" "typo" {}\n');
    const typo = await terraform(work, env, 'validate');
    expect(typo.code).toBe(1);
    expect((typo.stdout + typo.stderr).replace(/\s+/g, ' ')).toContain('The provider hashicorp/aws does not support resource type "aws_vpcc"');
  });
});
