import { Fn, Testing } from 'cdktf';
import { Path, Service } from '../../constructs';
import { awsStack, googleServiceBody, googleStack, resourceNamed, serviceBody, synthJson, tempDir, writeBlueprint } from '../helpers/synth';
import { butterErrorOf } from '../helpers/errors';

/**
 * Every string from input lands in Terraform JSON as text: `${` as `$${`, `%{` as `%%{`, and
 * cdktf's token markers broken, so neither Terraform nor cdktf evaluates anything in it.
 */
const FILE = '${file("/etc/hostname")}';
const ESCAPED_FILE = '$${file("/etc/hostname")}';
const DIRECTIVE = '%{ if true }x%{ endif }';
const ESCAPED_DIRECTIVE = '%%{ if true }x%%{ endif }';

/** Every `${` in the JSON is escaped (`$${`), except the ones Butter wrote: references to resources. */
function unescapedInterpolations(json: string, needle: string): string[] {
  return [...json.matchAll(/(?<!\$)\$\{[^}]*\}/g)].map((m) => m[0]).filter((m) => m.includes(needle));
}

describe('blueprint strings are escaped on AWS', () => {
  const dir = tempDir();

  test('image.name, disk types and device names', () => {
    const bp = writeBlueprint(dir, 'evil', serviceBody({
      image: { name: `ubuntu/images/${FILE}*` },
      instance: {
        memory: '1GB',
        disks: [
          { size: '8GB', type: `gp3${DIRECTIVE}`, device_name: `/dev/sda1${FILE}` },
          { size: '8GB', device_name: '/dev/sdf%{ for x in [1] }${x}%{ endfor }' },
        ],
      },
    }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const json = Testing.synth(stack);
    const tf = synthJson(stack);
    const ami = Object.values(tf.data.aws_image ?? tf.data.aws_ami)[0] as { filter: Array<{ name: string; values: string[] }> };
    expect(ami.filter.find((f) => f.name === 'name')!.values).toEqual([`ubuntu/images/${ESCAPED_FILE}*`]);
    const lt = resourceNamed(tf, 'aws_launch_template', 'web');
    expect(lt.block_device_mappings.map((m: any) => m.device_name)).toEqual([
      `/dev/sda1${ESCAPED_FILE}`,
      '/dev/sdf%%{ for x in [1] }$${x}%%{ endfor }',
    ]);
    expect(lt.block_device_mappings[0].ebs.volume_type).toBe(`gp3${ESCAPED_DIRECTIVE}`);
    expect(unescapedInterpolations(json, 'file(')).toEqual([]);
  });

  test('text that spells a cdktf token is neither resolved nor a crash', () => {
    const bp = writeBlueprint(dir, 'token', serviceBody({ image: { name: 'ubuntu/${TfToken[TOKEN.1]}-#{TfToken[TOKEN.2]}*', owner: '099720109477' } }));
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp });
    const tf = synthJson(stack);
    const ami = Object.values(tf.data.aws_ami)[0] as { filter: Array<{ name: string; values: string[] }> };
    expect(ami.filter.find((f) => f.name === 'name')!.values).toEqual(['ubuntu/$${TfToken${"["}TOKEN.1]}-#{TfToken${"["}TOKEN.2]}*']);
  });

  test('template variable values and rendered user data', () => {
    const bp = writeBlueprint(dir, 'vars', serviceBody({
      initialization: [{ path: 'setup.sh', vars: { Name: { required: true } } }],
    }), { 'setup.sh': '#!/bin/sh\necho "{{ Name }}" ${HOME}\n' });
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: bp, templateVars: { Name: `${FILE}${DIRECTIVE}` } });
    const local = Object.values(synthJson(stack).locals ?? {})[0] as string;
    expect(local).toBe(`#!/bin/sh\necho "${ESCAPED_FILE}${ESCAPED_DIRECTIVE}" $\${HOME}\n`);
  });

  test('names in tags, resource names and descriptions (construct ids written in code)', () => {
    const bp = writeBlueprint(dir, 'named', serviceBody());
    const { stack, network } = awsStack();
    new Service(network, 'w%{x}', { blueprint: bp });
    const json = Testing.synth(stack);
    const tf = synthJson(stack);
    const group = resourceNamed(tf, 'aws_autoscaling_group', 'w');
    expect(group.name).toBe('dev-w%%{x}');
    expect(group.tag).toEqual(expect.arrayContaining([{ key: 'butter:service', value: 'w%%{x}', propagate_at_launch: true }]));
    expect(resourceNamed(tf, 'aws_security_group', 'w').description).toBe('Butter service dev-w%%{x}: ingress only from Paths');
    expect(json).not.toMatch(/(?<!%)%\{x\}/);
  });

  test('a Path description', () => {
    const bp = writeBlueprint(dir, 'plain', serviceBody());
    const { stack, network } = awsStack();
    const a = new Service(network, 'a', { blueprint: bp });
    const b = new Service(network, 'b', { blueprint: bp });
    // A description may hold `$`, `{`, `}`, `(`, `)` and `/` (AWS allows them).
    new Path(a, b, 80, { description: 'allow ${file(/etc/hostname)}' });
    const tf = synthJson(stack);
    expect(resourceNamed(tf, 'aws_vpc_security_group_ingress_rule', 'from-a').description).toBe('allow $${file(/etc/hostname)}');
  });
});

describe('blueprint strings are escaped on Google', () => {
  const dir = tempDir();

  test('image name, family and project, and disk types', () => {
    const byName = writeBlueprint(dir, 'by-name', googleServiceBody({
      image: { google: { name: `ubuntu-${FILE}`, project: `p${FILE}` } },
      instance: { memory: '1GB', disks: [{ size: '10GB', type: `pd-ssd${DIRECTIVE}` }] },
    }));
    const byFamily = writeBlueprint(dir, 'by-family', googleServiceBody({ image: { google: { family: `ubuntu${FILE}`, project: 'ubuntu-os-cloud' } } }));
    const { stack, network } = googleStack();
    new Service(network, 'web', { blueprint: byName });
    new Service(network, 'api', { blueprint: byFamily });
    const json = Testing.synth(stack);
    const tf = synthJson(stack);
    const images = Object.values(tf.data.google_compute_image) as Array<Record<string, string>>;
    expect(images).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: `ubuntu-${ESCAPED_FILE}`, project: `p${ESCAPED_FILE}` }),
      expect.objectContaining({ family: `ubuntu${ESCAPED_FILE}` }),
    ]));
    const template = resourceNamed(tf, 'google_compute_instance_template', 'web');
    expect(template.disk[0].disk_type).toBe(`pd-ssd${ESCAPED_DIRECTIVE}`);
    expect(unescapedInterpolations(json, 'file(')).toEqual([]);
  });
});

describe('deploy-time values anywhere in templateVars', () => {
  const dir = tempDir();
  const web = () => writeBlueprint(dir, 'web', serviceBody());
  const lb = () => writeBlueprint(dir, 'lb', serviceBody({
    initialization: [{ path: 'lb.cfg', vars: { Backends: { required: true }, Front: { required: true } } }],
  }), { 'lb.cfg': '{% for b in Backends %}server {{ b }}\n{% endfor %}front {{ Front.host }}:{{ Front.port }}\n' });

  test('a token inside a list and inside a map makes the script a Terraform template', () => {
    const { stack, network } = awsStack();
    const w = new Service(network, 'web', { blueprint: web() });
    new Service(network, 'lb', {
      blueprint: lb(),
      templateVars: {
        Backends: [Fn.element(w.privateIps, 0), 'x'],
        Front: { host: Fn.element(w.privateIps, 1), port: 80 },
      },
    });
    const tf = synthJson(stack);
    const local = Object.entries(tf.locals ?? {}).find(([id]) => id.includes('lb'))![1] as string;
    // Real expressions, unescaped: Terraform fills them in at deploy time.
    expect(local).toMatch(/%\{ ?for b in \[element\(data\.aws_instances\.[\w-]+\.private_ips, 0\), "x"\] ?\}/);
    expect(local).toMatch(/front \$\{\{ "host" = element\(data\.aws_instances\.[\w-]+\.private_ips, 1\), "port" = 80 \}\.host\}:/);
    expect(local).not.toContain('$${');
    expect(local).not.toContain('TfToken');
  });

  test('text that merely spells a token of no one is a clear error, not a crash', () => {
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'lb', {
      blueprint: lb(),
      templateVars: { Backends: ['${TfToken[TOKEN.987654]}'], Front: { host: 'h', port: 1 } },
    }));
    expect(e.code).toBe('TEMPLATE_VAR_INVALID');
    expect(e.constructPath).toBe('test/dev/lb');
  });
});
