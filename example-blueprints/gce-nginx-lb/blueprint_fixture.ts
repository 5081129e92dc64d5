// The balanced nginx blueprint's test: `npx butter test --blueprint-dir example-blueprints/gce-nginx-lb run`
// (on the Google mock: the blueprint names a Google image only, and needs the mock's load
// balancer types, issue 19).
import * as assert from 'node:assert/strict';
import type { BlueprintTest, TestedServiceContext, VerifyContext } from '../../src/tester';

/**
 * nginx behind a regional external Application Load Balancer: private instances, reached from
 * the internet through the balancer only, on port 80 only.
 */
export default class BalancedNginxTest implements BlueprintTest {
  public readonly clouds = ['google'] as const;

  public async setupBeforeTestedService(): Promise<Record<string, unknown>> {
    return {}; // nginx depends on nothing
  }

  public async setupAfterTestedService(_ctx: TestedServiceContext): Promise<void> {
    // Nothing to open: the blueprint's load_balancer makes the balancer and its Paths.
  }

  public async verify(ctx: VerifyContext): Promise<void> {
    // An autoscaled Google group's instances are in no Terraform resource (the autoscaler makes
    // them), so the inventory cannot list them yet: what it lists must be private.
    for (const instance of ctx.service.instances) {
      assert.equal(instance.publicIp, undefined, `instance ${instance.id} is behind the balancer but has public IP ${instance.publicIp}`);
    }
    if (ctx.mock) {
      for (const { instance, script } of ctx.startupScripts()) {
        assert.ok(script?.startsWith('#cloud-config'), `instance ${instance.id} did not receive the cloud-config`);
        assert.match(script!, /systemctl enable --now nginx/);
      }
    }
    const reach = ctx.reachability();
    const web = `${ctx.network}/${ctx.service.name}`;
    const http = reach.internetAccessible(web, 80);
    assert.ok(http.allowed && /balancer/i.test(http.reason), `the internet should reach nginx on 80 through its load balancer: ${http.reason}`);
    const ssh = reach.internetAccessible(web, 22);
    assert.ok(!ssh.allowed, `the internet should not reach nginx on 22: ${ssh.reason}`);
  }
}
