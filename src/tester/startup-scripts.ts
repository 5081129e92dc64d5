import { CloudStore } from '../mock/cloud/store';
import type { InstanceInfo } from '../inventory/types';
import type { InstanceStartup } from './fixture';

/**
 * The startup script each instance received, as the mock cloud recorded it at launch: that is
 * what a blueprint test checks templating against (what the instance really got, not what Butter
 * meant to send). AWS instances are known by id and keep their user data decoded; Google
 * instances by name (the inventory's instance id), with the script in their metadata:
 * `startup-script` for a plain script, `user-data` for cloud-init documents.
 */
export function mockStartupScripts(mockStateDir: string, cloud: 'aws' | 'google', instances: readonly InstanceInfo[]): InstanceStartup[] {
  const records = new Map<string, Record<string, any>>();
  CloudStore.forProvider(cloud, mockStateDir).read((c) => {
    for (const r of c.list<Record<string, any>>('instance')) records.set(cloud === 'aws' ? r.id : r.name, r);
  });
  return instances.map((instance) => {
    const record = records.get(instance.id);
    const script = cloud === 'aws'
      ? record?.user_data ?? undefined
      : record?.metadata?.['startup-script'] ?? record?.metadata?.['user-data'] ?? undefined;
    return { instance, script: typeof script === 'string' ? script : undefined };
  });
}
