import { ObjectValue } from '../../../../src/mock/values/value';
import { baseNetwork, GoogleHarness } from './helpers';

/** Subnetwork flow logs (`log_config`) as Compute Engine accepts them. */
describe('simulated Google Cloud: subnetwork flow logs', () => {
  let g: GoogleHarness;
  beforeEach(async () => {
    g = new GoogleHarness();
    expect(await g.configure()).toEqual([]);
  });
  afterEach(() => g.cleanup());

  const subnet = async (logConfig: ObjectValue) => {
    const { network } = await baseNetwork(g);
    return g.create('google_compute_subnetwork', { name: 'logged', network: network.id, ip_cidr_range: '10.9.0.0/24', log_config: [logConfig] });
  };

  test('flow logs with Butter\'s settings are kept, with the provider\'s defaults filled in', async () => {
    const r = await subnet({ aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' });
    expect(r.errors).toEqual([]);
    expect(r.state!.log_config).toEqual([expect.objectContaining({ aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA', filter_expr: 'true' })]);
    expect(r.state!.enable_flow_logs).toBe(true);
  });

  test.each<[ObjectValue, RegExp]>([
    [{ flow_sampling: 1.5 }, /flowSampling/],
    [{ aggregation_interval: 'INTERVAL_2_SEC' }, /INTERVAL_2_SEC|aggregation_interval/],
    [{ metadata: 'SOME_METADATA' }, /SOME_METADATA|metadata/],
    [{ metadata: 'INCLUDE_ALL_METADATA', metadata_fields: ['src_instance'] }, /metadataFields/],
  ])('%j is refused when Terraform validates the configuration', async (config, message) => {
    const { network } = await baseNetwork(g);
    const errors = await g.validate('google_compute_subnetwork', { name: 'logged', network: network.id, ip_cidr_range: '10.9.0.0/24', log_config: [config] });
    expect(errors.join('\n')).toMatch(message);
    // Without the bad field it validates.
    expect(await g.validate('google_compute_subnetwork', { name: 'logged', network: network.id, ip_cidr_range: '10.9.0.0/24', log_config: [{ flow_sampling: 0.5 }] })).toEqual([]);
  });
});
