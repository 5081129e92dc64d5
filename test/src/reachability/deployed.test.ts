import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Internet, Network, Path, Port, Service } from '../../../constructs';
import { mockStateFile } from '../../../src/deploy/deploy';
import { fromState, fromSynthesized, Reachability, ReachabilityModel } from '../../../src/reachability';
import { readStateFile } from '../../../src/state/resources';
import { MockProject } from '../deploy/helpers';
import { blueprints } from './helpers';

/**
 * Reachability read back from Terraform state after a real `terraform apply` against the mock
 * cloud, on both clouds in one app: it must answer exactly as the synthesized stacks did, and
 * know the instances' addresses.
 */
describe('reachability of mock-deployed stacks', () => {
  const bps = blueprints();
  const stacks = ['aws-reach', 'gce-reach'];
  let project: MockProject;
  beforeAll(async () => {
    project = await MockProject.create();
  });
  afterAll(async () => project?.close());

  const build = (withPaths: boolean) => (app: App) => {
    for (const cloud of ['aws', 'google'] as const) {
      const stack = new TerraformStack(app, cloud === 'aws' ? 'aws-reach' : 'gce-reach');
      const net = new Network(stack, cloud === 'aws' ? 'adev' : 'gdev', {
        cloud,
        region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
        project: cloud === 'google' ? 'butter-test' : undefined,
        addressLedger: path.join(project.dir, 'butter.lock.json'),
      });
      const lb = new Service(net, 'lb', { blueprint: bps.publicBp, count: 2 });
      const web = new Service(net, 'web', { blueprint: bps.privateBp, count: 2 });
      if (withPaths) {
        new Path(lb, web, 80);
        new Path(Internet, lb, 443);
        new Path('10.1.0.0/16', web, Port.udpRange(50, 60));
        new Path(Internet, web, 8080);
      }
    }
  };
  const deployed = (): ReachabilityModel => fromState(stacks.map((stack) => ({
    stack, resources: readStateFile(mockStateFile(project.dir, stack)),
  })));
  const synthesized = (): ReachabilityModel => fromSynthesized(stacks.map((stack) => ({
    stack, config: JSON.parse(fs.readFileSync(path.join(project.dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')),
  })));
  const noIps = (m: ReachabilityModel) => ({ ...m, services: m.services.map((s) => ({ ...s, privateIps: [], publicIps: [] })) });

  test('seed paths test on the mock: no access before the Paths are deployed, access after, none once they are removed; state answers as the synthesized stacks', async () => {
    await project.run('deploy', build(false));
    let r = new Reachability(deployed());
    for (const net of ['adev', 'gdev']) {
      expect(r.hasAccess(`${net}/lb`, `${net}/web`, 80).allowed).toBe(false);
      expect(r.internetAccessible(`${net}/lb`, 443).allowed).toBe(false);
    }

    const [aws, google] = await project.run('deploy', build(true));
    expect([aws.summary, google.summary]).toEqual([expect.stringMatching(/^Apply complete! Resources: 4 added, 0 changed, 0 destroyed\.$/), expect.stringMatching(/^Apply complete! Resources: 4 added, 0 changed, 0 destroyed\.$/)]);
    const fromDeploy = deployed();
    const fromSynth = synthesized();
    r = new Reachability(fromDeploy);
    const s = new Reachability(fromSynth);
    for (const net of ['adev', 'gdev']) {
      expect(r.hasAccess(`${net}/lb`, `${net}/web`, 80).allowed).toBe(true);
      expect(r.internetAccessible(`${net}/lb`, 443).allowed).toBe(true);
      expect(r.internetAccessible(`${net}/web`, 8080)).toMatchObject({ allowed: false, admitted: true, publicAddress: false });
    }

    // Everything but the addresses is the same model; every answer is the same answer.
    expect(noIps(fromDeploy)).toEqual(noIps(fromSynth));
    expect(fromDeploy.rules).toHaveLength(8);
    const sources = ['adev/lb', 'adev/web', 'gdev/lb', 'gdev/web', '0.0.0.0/0', '10.1.2.0/24', '10.0.0.0/8', '203.0.113.9'];
    for (const destination of ['adev/lb', 'adev/web', 'gdev/lb', 'gdev/web']) {
      for (const port of [80, 443, 8080, 'udp:55', 'udp:49-55', 'tcp:79-81']) {
        for (const source of sources) expect(r.hasAccess(source, destination, port)).toEqual(s.hasAccess(source, destination, port));
        expect(r.internetAccessible(destination, port)).toEqual(s.internetAccessible(destination, port));
      }
    }
    expect(r.paths()).toEqual(s.paths());
    expect(r.exposure().exposed.map((e) => [e.service.key, e.ports.map(String), e.reason]))
      .toEqual(s.exposure().exposed.map((e) => [e.service.key, e.ports.map(String), e.reason]));

    // The instances' addresses, as the deployed inventory has them; Google's private ones were known at synth.
    const inventory = project.inventory(stacks);
    for (const net of inventory.networks) {
      for (const svc of net.services) {
        const node = r.service(`${net.name}/${svc.name}`);
        expect([...node.privateIps].sort()).toEqual(svc.instances.map((i) => i.privateIp).sort());
        expect([...node.publicIps].sort()).toEqual(svc.instances.flatMap((i) => i.publicIp ?? []).sort());
        expect(node.privateIps).toHaveLength(2);
        expect(node.publicIps).toHaveLength(svc.name === 'lb' ? 2 : 0);
      }
    }
    expect(s.service('gdev/web').privateIps).toEqual(r.service('gdev/web').privateIps);
    expect(s.service('adev/web').privateIps).toEqual([]);

    await project.run('deploy', build(false));
    r = new Reachability(deployed());
    expect(r.paths()).toEqual([]);
    for (const net of ['adev', 'gdev']) {
      expect(r.hasAccess(`${net}/lb`, `${net}/web`, 80).allowed).toBe(false);
      expect(r.internetAccessible(`${net}/lb`, 443).allowed).toBe(false);
    }
  });
});
