import { computed, ipv4Cidr, map, optional, required, ResourceType, ProviderDefinition, UNKNOWN } from '../../../src/mock';
import { Harness } from './helpers/service';

/** The example in src/mock/README.md, kept compiling and working. */

const vpc: ResourceType = {
  name: 'aws_vpc',
  schema: {
    attributes: {
      cidr_block: required('string', { forceNew: true, validate: ipv4Cidr() }),
      instance_tenancy: optional('string', { default: 'default' }),
      tags: optional(map('string')),
      id: computed('string'),
      arn: computed('string'),
    },
  },
  create(ctx) {
    const id = ctx.cloud.nextId('vpc'); // vpc-0a1b2c3d4e5f67890
    const arn = `arn:aws:ec2:${ctx.provider.config.region}:123456789012:vpc/${id}`;
    ctx.cloud.put('vpc', id, { id, arn, cidr_block: ctx.planned.cidr_block as string });
    return { id, arn }; // values for what was planned unknown
  },
  read(ctx) {
    return ctx.cloud.get('vpc', ctx.state.id as string) ?? null; // null: gone, Terraform recreates
  },
  update(ctx) {
    ctx.cloud.put('vpc', ctx.prior.id as string, { ...ctx.cloud.get('vpc', ctx.prior.id as string), tags: ctx.planned.tags });
  },
  delete(ctx) {
    ctx.cloud.delete('vpc', ctx.state.id as string);
  },
};

const provider: ProviderDefinition = {
  name: 'aws',
  schema: { attributes: { region: optional('string') } },
  resources: [vpc],
  dataSources: [],
};

test('the README example works', async () => {
  const h = new Harness(provider);
  await h.service.ConfigureProvider({ config: { json: Buffer.from('{"region":"eu-west-1"}') } });
  const { planned } = await h.plan('aws_vpc', null, { cidr_block: '10.0.0.0/16' });
  expect(planned).toEqual({ cidr_block: '10.0.0.0/16', instance_tenancy: 'default', tags: null, id: UNKNOWN, arn: UNKNOWN });
  const { state } = await h.apply('aws_vpc', null, planned);
  expect(state?.arn).toBe(`arn:aws:ec2:eu-west-1:123456789012:vpc/${state?.id}`);
  const updated = await h.apply('aws_vpc', state, { ...state, tags: { Name: 'x' } });
  expect(updated.diagnostics).toEqual([]);
  expect(h.store.read((c) => c.get('vpc', state?.id as string))).toMatchObject({ tags: { Name: 'x' } });
  h.cleanup();
});
