import { Client, stackName } from '../client';
import { stackStateFile } from '../deploy/deploy';
import { describeContents, mockCloudStatus } from '../deploy/mock-setup';
import { ButterError } from '../errors';
import { Reachability, reachabilityOf } from '../reachability';
import { readStateFile, StateResource } from '../state/resources';
import type { InstanceStartup } from './fixture';
import { mockStartupScripts } from './startup-scripts';

/**
 * What a verify looks at beyond the Client's inventory: the startup scripts the mock cloud
 * recorded, and the deployed Terraform state reachability is computed from. The test has a
 * Client (a workspace) of its own, so its stacks and mock cloud are found from the Client.
 */

/** The startup scripts the instances of `service` in `network` received (mock cloud only). */
export function startupScriptsOf(client: Client, network: string, service: string): InstanceStartup[] {
  if (!client.mock) {
    throw new ButterError('TEST_MOCK_ONLY', 'startup scripts are only known on the mock cloud', {
      hint: 'guard the check with `if (ctx.mock)`, or look at the instances themselves on a real cloud',
    });
  }
  const cloud = client.target.endsWith('google') ? 'google' : 'aws';
  return mockStartupScripts(client.mockStateDir, cloud, client.service.getInstances(network, service));
}

/**
 * Reachability in every network of the test's workspace, from their deployed Terraform state
 * (so a fixture may spread a test over several networks and still ask about all of them).
 */
export function workspaceReachability(client: Client): Reachability {
  const stacks = client.workspace().networks.map((n) => ({ stack: stackName(n.name), resources: networkState(client, n.name) }));
  return reachabilityOf({ state: stacks });
}

/** The Terraform state of one workspace network, as deployed. */
function networkState(client: Client, network: string): StateResource[] {
  return readStateFile(stackStateFile(client.dir, stackName(network), client.mock));
}

/**
 * What is still deployed after a teardown that reported success, in words; undefined when
 * nothing is. Only the mock cloud can be asked directly (a real cloud's Terraform destroy is
 * trusted), and there it also catches what Terraform never knew about, such as objects of a
 * killed apply.
 */
export function deployedResidue(client: Client): string | undefined {
  if (!client.mock) return undefined;
  const status = mockCloudStatus(client.dir);
  return status.empty ? undefined : `the mock cloud still holds ${describeContents(status)}`;
}
