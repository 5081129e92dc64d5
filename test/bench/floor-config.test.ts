import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { floorConfig, sameValuesConfig, TerraformJson } from '../../bench/floor-config';
import { buildExamples } from '../../example-blueprints/stacks';
import { scratch, terraformEnv, tf } from '../src/mock/helpers/terraform';

/** The references the benchmark's floors are built from must stand for the stacks they replace. */

function example(id: string): TerraformJson {
  const app = Testing.app();
  const stack = buildExamples(app, { addressLedger: false }).find((s) => s.node.id === id)!;
  return JSON.parse(Testing.synth(stack));
}

describe('floorConfig', () => {
  test('N terraform_data resources with one distinct string each', () => {
    const data = floorConfig(3).resource!.terraform_data;
    expect(Object.keys(data)).toEqual(['r0', 'r1', 'r2']);
    expect(new Set(Object.values(data).map((r) => r.input)).size).toBe(3);
  });
});

describe('sameValuesConfig', () => {
  const config: TerraformJson = {
    data: { aws_ami: { image: { owners: ['self'] } } },
    resource: {
      aws_vpc: { net: { cidr_block: '10.0.0.0/16', tags: { Name: 'net' } } },
      aws_subnet: {
        'a-1': {
          vpc_id: '${aws_vpc.net.id}',
          availability_zone: '${data.aws_availability_zones.z.names[0]}',
          cidr_block: '10.0.1.0/24',
          lifecycle: { create_before_destroy: true },
          depends_on: ['aws_vpc.net'],
        },
      },
      aws_instance: { web: { subnet_id: '${aws_subnet.a-1.id}', ami: '${data.aws_ami.image.id}' } },
    },
  };
  const out = sameValuesConfig(config).resource!.terraform_data;

  test('one terraform_data per managed resource, carrying its arguments without meta-arguments', () => {
    expect(Object.keys(out).sort()).toEqual(['aws_instance__web', 'aws_subnet__a-1', 'aws_vpc__net']);
    expect(out.aws_vpc__net.input).toEqual({ cidr_block: '10.0.0.0/16', tags: { Name: 'net' } });
    expect(Object.keys(out['aws_subnet__a-1'].input as object).sort()).toEqual(['availability_zone', 'cidr_block', 'vpc_id']);
  });

  test('interpolations become text; references to resources become depends_on edges, data sources none', () => {
    const subnet = out['aws_subnet__a-1'];
    expect(JSON.stringify(subnet.input)).not.toContain('${');
    expect(subnet.depends_on).toEqual(['terraform_data.aws_vpc__net']);
    expect(out.aws_instance__web.depends_on).toEqual(['terraform_data.aws_subnet__a-1']);
    expect(out.aws_vpc__net.depends_on).toBeUndefined();
  });

  test('Terraform accepts it for every example stack, one terraform_data per resource', async () => {
    const { dir, cleanup } = scratch('floor-values');
    try {
      for (const id of ['aws-haproxy', 'gce-haproxy', 'gce-apache']) {
        const stack = example(id);
        const resources = Object.values(stack.resource!).reduce((n, byName) => n + Object.keys(byName).length, 0);
        const work = path.join(dir, id);
        fs.mkdirSync(work);
        fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(sameValuesConfig(stack)));
        const env = terraformEnv(work, {});
        await tf(work, env, 0, 'init', '-input=false');
        const plan = await tf(work, env, 0, 'plan', '-input=false', '-refresh=false');
        expect(plan.stdout).toContain(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
      }
    } finally {
      cleanup();
    }
  });
});
