// The nginx blueprint's test: `npx butter test --blueprint-dir example-blueprints/aws-nginx run`.
import * as assert from 'node:assert/strict';
import type { BlueprintTest, TestedServiceContext, VerifyContext } from '../../src/tester';

/** The network's private range: the only place nginx may be reached from. */
const PRIVATE = '10.0.0.0/8';

/**
 * Private nginx servers: reachable from private addresses on port 80 once a Path allows it, and
 * never from the internet (they have no public address).
 */
export default class NginxTest implements BlueprintTest {
  public async setupBeforeTestedService(): Promise<Record<string, unknown>> {
    return {}; // nginx depends on nothing
  }

  public async setupAfterTestedService(ctx: TestedServiceContext): Promise<void> {
    await ctx.client.paths.add(PRIVATE, ctx.service.name, 80, { network: ctx.network });
  }

  public async verify(ctx: VerifyContext): Promise<void> {
    assert.ok(ctx.service.instances.length > 0, 'nginx has no instances');
    for (const instance of ctx.service.instances) {
      assert.ok(instance.privateIp, `instance ${instance.id} has no private IP`);
      assert.equal(instance.publicIp, undefined, `instance ${instance.id} is private but has public IP ${instance.publicIp}`);
    }
    if (ctx.mock) {
      for (const { instance, script } of ctx.startupScripts()) {
        assert.ok(script?.startsWith('#cloud-config'), `instance ${instance.id} did not receive the cloud-config`);
        assert.match(script!, /systemctl enable --now nginx/);
      }
    }
    const reach = ctx.reachability();
    const web = `${ctx.network}/${ctx.service.name}`;
    const fromPrivate = reach.hasAccess(PRIVATE, web, 80);
    assert.ok(fromPrivate.allowed, `private addresses should reach nginx on port 80: ${fromPrivate.reason}`);
    const fromInternet = reach.internetAccessible(web, 80);
    assert.ok(!fromInternet.allowed, `the internet should not reach nginx: ${fromInternet.reason}`);
  }
}
