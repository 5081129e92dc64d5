// The ALB nginx blueprint's test: `npx butter test --blueprint-dir example-blueprints/aws-nginx-alb run`.
import * as assert from 'node:assert/strict';
import type { BlueprintTest, VerifyContext } from '../../src/tester';

/** The blueprint's `scaling:` bounds. */
const MIN = 2;
const MAX = 6;

/**
 * Private nginx behind an Application Load Balancer: the group runs between scaling.min and
 * scaling.max instances, none with a public address; the internet reaches nginx on port 80 only
 * through the balancer, and on no other port.
 */
export default class NginxAlbTest implements BlueprintTest {
  // The blueprint names an AWS image only; the Google balancer example is its own blueprint.
  public readonly clouds = ['aws'] as const;

  public async setupBeforeTestedService(): Promise<Record<string, unknown>> {
    return {}; // nginx depends on nothing
  }

  public async setupAfterTestedService(): Promise<void> {
    // Nothing to open: the balancer's own Path admits it to nginx on port 80.
  }

  public async verify(ctx: VerifyContext): Promise<void> {
    const count = ctx.service.instances.length;
    assert.ok(count >= MIN && count <= MAX, `expected ${MIN} to ${MAX} nginx instances (scaling), found ${count}`);
    for (const instance of ctx.service.instances) {
      assert.ok(instance.privateIp, `instance ${instance.id} has no private IP`);
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
    assert.ok(http.allowed, `the internet should reach nginx on port 80 through its load balancer: ${http.reason}`);
    assert.match(http.reason, /balancer/, `the verdict should say nginx is reached through its load balancer: ${http.reason}`);
    const ssh = reach.internetAccessible(web, 22);
    assert.ok(!ssh.allowed, `the internet should not reach nginx on port 22: ${ssh.reason}`);
  }
}
