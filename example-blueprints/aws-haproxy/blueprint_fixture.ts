// The HAProxy blueprint's test: `npx butter test --blueprint-dir example-blueprints/aws-haproxy run`.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { BlueprintTest, TestContext, TestedServiceContext, VerifyContext } from '../../src/tester';

/** The backends HAProxy balances over: the nginx example. */
const NGINX_BLUEPRINT = path.join(__dirname, '..', 'aws-nginx', 'blueprint.yml');
const BACKEND = 'web';

/**
 * HAProxy in front of private nginx instances: nginx is deployed first and its private IPs are
 * HAProxy's `PrivateIps`; the internet may reach HAProxy on 80, and only HAProxy reaches nginx.
 */
export default class HaproxyTest implements BlueprintTest {
  public async setupBeforeTestedService(ctx: TestContext): Promise<Record<string, unknown>> {
    // Three backends (one per zone) are enough to tell "every backend" from "some backends".
    const web = await ctx.client.service.create(ctx.network, BACKEND, { blueprint: NGINX_BLUEPRINT, count: 3 });
    return { PrivateIps: web.instances.map((i) => i.privateIp) };
  }

  public async setupAfterTestedService(ctx: TestedServiceContext): Promise<void> {
    await ctx.client.paths.add(ctx.service.name, BACKEND, 80, { network: ctx.network });
    await ctx.client.paths.add('0.0.0.0/0', ctx.service.name, 80, { network: ctx.network });
  }

  public async verify(ctx: VerifyContext): Promise<void> {
    const backends = ctx.client.service.getInstances(ctx.network, BACKEND).map((i) => i.privateIp).sort();
    assert.equal(backends.length, 3, `expected 3 nginx instances, found ${backends.length}`);

    // Only the mock cloud records what each instance received; on a real cloud, look at the
    // instances themselves.
    if (ctx.mock) {
      const scripts = ctx.startupScripts();
      assert.ok(scripts.length > 0, 'HAProxy has no instances');
      for (const { instance, script } of scripts) {
        assert.ok(script, `HAProxy instance ${instance.id} received no startup script`);
        const servers = [...script.matchAll(/^\s*server \S+ (\S+):80 check\s*$/gm)].map((m) => m[1]).sort();
        assert.deepEqual(servers, backends, `HAProxy instance ${instance.id} balances over [${servers.join(', ')}], not exactly the nginx instances [${backends.join(', ')}]`);
      }
    }

    const reach = ctx.reachability();
    const lb = `${ctx.network}/${ctx.service.name}`;
    const web = `${ctx.network}/${BACKEND}`;
    const lbOpen = reach.internetAccessible(lb, 80);
    assert.ok(lbOpen.allowed, `the internet should reach HAProxy on port 80: ${lbOpen.reason}`);
    const webOpen = reach.internetAccessible(web, 80);
    assert.ok(!webOpen.allowed, `the internet should not reach nginx on port 80: ${webOpen.reason}`);
    const backend = reach.hasAccess(lb, web, 80);
    assert.ok(backend.allowed, `HAProxy should reach nginx on port 80: ${backend.reason}`);
  }
}
