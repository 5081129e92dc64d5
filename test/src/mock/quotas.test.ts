import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudError } from '../../../src/mock/framework/diagnostics';
import { awsQuota } from '../../../src/mock/aws/quotas';
import { quotaOverrides, quotaTable, QUOTAS_ENV } from '../../../src/mock/framework/quotas';
import { googleQuota } from '../../../src/mock/google/quotas';

/** BUTTER_MOCK_QUOTAS: the mock's quotas default to the clouds' and can be raised; bad input is a diagnostic. */
describe('mock quotas', () => {
  const saved = process.env[QUOTAS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[QUOTAS_ENV];
    else process.env[QUOTAS_ENV] = saved;
  });
  const table = quotaTable('aws', { rules_per_security_group: { default: 60, source: 'test' }, subnets_per_vpc: { default: 200, source: 'test' } });

  test('defaults without the variable; inline JSON or a file overrides them', () => {
    delete process.env[QUOTAS_ENV];
    expect(table('rules_per_security_group')).toBe(60);
    process.env[QUOTAS_ENV] = '{"aws": {"rules_per_security_group": 100}, "google": {"x": 1}}';
    expect(table('rules_per_security_group')).toBe(100);
    expect(table('subnets_per_vpc')).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quotas-'));
    const file = path.join(dir, 'quotas.json');
    fs.writeFileSync(file, JSON.stringify({ aws: { subnets_per_vpc: 3 } }));
    process.env[QUOTAS_ENV] = file;
    expect(table('subnets_per_vpc')).toBe(3);
    fs.rmSync(dir, { recursive: true });
  });

  test.each([
    ['not JSON', '{aws', /is not JSON/],
    ['a list', '[1]', /At the top/],
    ['a negative number', '{"aws": {"subnets_per_vpc": -1}}', /aws\.subnets_per_vpc/],
    ['a fraction', '{"aws": {"subnets_per_vpc": 1.5}}', /aws\.subnets_per_vpc/],
    ['a huge number', '{"aws": {"subnets_per_vpc": 1e300}}', /aws\.subnets_per_vpc/],
    ['a string', '{"aws": {"subnets_per_vpc": "9"}}', /aws\.subnets_per_vpc/],
    ['a missing file', '/nonexistent/quotas.json', /cannot be read/],
    ['a directory', os.tmpdir(), /not a file of at most 64 KiB/],
    ['a typo', '{"aws": {"subnet_per_vpc": 9}}', /"aws\.subnet_per_vpc" is not a quota of the mock; it knows rules_per_security_group, subnets_per_vpc/],
  ])('%s is a diagnostic naming the variable', (_what, value, message) => {
    process.env[QUOTAS_ENV] = value;
    let error: unknown;
    try {
      table('subnets_per_vpc');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).message).toBe(`the Butter mock cloud cannot read ${QUOTAS_ENV}`);
    expect((error as CloudError).diagnostics[0].detail).toMatch(message);
  });

  test('the clouds\' defaults', () => {
    delete process.env[QUOTAS_ENV];
    expect([awsQuota('rules_per_security_group'), awsQuota('security_groups_per_network_interface'), awsQuota('subnets_per_vpc')]).toEqual([60, 5, 200]);
    expect([awsQuota('auto_scaling_groups_per_region'), awsQuota('launch_templates_per_region'), awsQuota('on_demand_standard_vcpus')]).toEqual([500, 5000, 1152]);
    expect([googleQuota('firewall_rules_per_project'), googleQuota('instances_per_regional_group'), googleQuota('subnetworks_per_project')]).toEqual([100, 2000, 100]);
  });

  test('the new quotas are overridable like the others', () => {
    process.env[QUOTAS_ENV] = JSON.stringify({ aws: { on_demand_standard_vcpus: 8, auto_scaling_groups_per_region: 1 }, google: { subnetworks_per_project: 3 } });
    expect([awsQuota('on_demand_standard_vcpus'), awsQuota('auto_scaling_groups_per_region'), awsQuota('launch_templates_per_region')]).toEqual([8, 1, 5000]);
    expect(googleQuota('subnetworks_per_project')).toBe(3);
  });

  test('a file over 64 KiB is not read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quotas-'));
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, `{"aws": {}, "pad": "${'x'.repeat(70 * 1024)}"}`);
    expect(() => quotaOverrides({ [QUOTAS_ENV]: file })).toThrow(CloudError);
    fs.rmSync(dir, { recursive: true });
  });
});
