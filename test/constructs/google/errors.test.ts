import { TerraformStack, Testing } from 'cdktf';
import { Network, NetworkProps, Service, Path, Port } from '../../../constructs';
import { ButterError } from '../../../src/errors';
import { googleStack, googleServiceBody, serviceBody, tempDir, writeBlueprint } from '../../helpers/synth';
import { butterErrorOf as caught } from '../../helpers/errors';

describe('bad input on Google Cloud: clear errors with stable codes', () => {
  const dir = tempDir();
  const ok = writeBlueprint(dir, 'ok', googleServiceBody());
  const bp = (name: string, over: Record<string, unknown>) => writeBlueprint(dir, name, googleServiceBody(over));

  const network = (props: Partial<NetworkProps>) => () => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    return new Network(stack, 'dev', { cloud: 'google', region: 'us-central1', addressLedger: false, ...props } as NetworkProps);
  };
  const service = (blueprint: string, count?: number, netBlueprint?: string) => () =>
    new Service(googleStack(netBlueprint ? { blueprint: netBlueprint } : {}).network, 'web', { blueprint, count });

  test.each<[string, string, () => unknown, Partial<ButterError>]>([
    ['missing project', 'NETWORK_PROJECT_REQUIRED', network({}), { constructPath: 'bad/dev' }],
    ['a project name instead of its id', 'NETWORK_PROJECT_INVALID', network({ project: 'My Project' }), { constructPath: 'bad/dev' }],
    ['a project id too short', 'NETWORK_PROJECT_INVALID', network({ project: 'abc' }), {}],
    ['not a region', 'NETWORK_REGION_INVALID', network({ project: 'butter-test', region: 'mars' }), {}],
    ['a blueprint with an AWS image only', 'IMAGE_MISSING_FOR_CLOUD', service(writeBlueprint(dir, 'aws-only', serviceBody({
      image: { aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' } },
    }))), { key: 'image' }],
    ['an AMI name pattern as the one image for every cloud', 'IMAGE_PROJECT_REQUIRED', service(writeBlueprint(dir, 'flat', serviceBody())),
      { key: 'image.owner' }],
    ['a Google family nobody is known to publish, without project', 'IMAGE_PROJECT_REQUIRED',
      service(bp('noproj', { image: { google: { family: 'my-app' } } })), { key: 'image.owner' }],
    ['a pinned machine type that does not exist', 'INSTANCE_TYPE_UNKNOWN', service(bp('typo', { instance: { type: { google: 'e2-mediun' } } })), {}],
    ['an arm64 image with instance.architecture x86_64', 'IMAGE_ARCHITECTURE_MISMATCH', service(bp('arch', {
      image: { google: { family: 'ubuntu-2204-lts-arm64' } }, instance: { architecture: 'x86_64' },
    })), {}],
    ['a GPU on an arm64 image (no such machine)', 'INSTANCE_NO_FIT', service(bp('armgpu', {
      image: { google: { family: 'ubuntu-2204-lts-arm64' } }, instance: { gpu: 1 },
    })), { key: 'instance' }],
    ['count above subnetwork_max_instance_count', 'SERVICE_COUNT_TOO_LARGE', service(ok, 49), { key: 'network.subnetwork_max_instance_count' }],
    ['a subnet larger than the network', 'ADDRESS_SPACE_EXHAUSTED', service(bp('huge', { network: { subnetwork_max_instance_count: 768 } }), undefined,
      writeBlueprint(dir, 'tiny-net', { network: { legacy_network_size_bits: 8 } })), { key: 'network.subnetwork_max_instance_count' }],
    ['a required template variable left out', 'TEMPLATE_VAR_MISSING', service(writeBlueprint(dir, 'vars', googleServiceBody({
      initialization: [{ path: 'x.cfg', vars: { PrivateIps: { required: true } } }],
    }), { 'x.cfg': '{{ PrivateIps }}' })), { constructPath: 'test/dev/web' }],
    ['one ICMP type as a Path', 'PATH_ICMP_TYPE_UNSUPPORTED', () => {
      const { network: net } = googleStack();
      const a = new Service(net, 'a', { blueprint: ok });
      const b = new Service(net, 'b', { blueprint: ok });
      new Path(a, b, Port.icmpType(8));
    }, { constructPath: 'test/dev/b/from-a-icmp-8' }],
    ['two names that meet once joined with "-" (network a-b + c, network a + b-c)', 'GOOGLE_NAME_COLLISION', () => {
      const stack = new TerraformStack(Testing.app(), 's');
      const props = { cloud: 'google', region: 'us-central1', project: 'butter-test', addressLedger: false } as const;
      new Service(new Network(stack, 'a-b', props), 'c', { blueprint: ok });
      new Service(new Network(stack, 'a', props), 'b-c', { blueprint: ok });
    }, { constructPath: 's/a/b-c' }],
  ])('%s → %s', (_what, code, fn, where) => {
    const e = caught(fn);
    expect(e.code).toBe(code);
    expect(e).toMatchObject(where);
    expect(e.message).toContain(`[${code}]`);
    expect(e.hint).toBeTruthy(); // every error says how to fix it
  });

  test('IMAGE_MISSING_FOR_CLOUD names the blueprint file and suggests adding image.google', () => {
    const file = writeBlueprint(dir, 'aws-only-2', serviceBody({ image: { aws: { name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' } } }));
    const e = caught(service(file));
    expect(e).toMatchObject({ code: 'IMAGE_MISSING_FOR_CLOUD', key: 'image', hint: 'add image.google next to image.aws' });
    expect(e.file).toContain('aws-only-2');
  });
});
