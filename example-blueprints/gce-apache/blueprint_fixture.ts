// The Apache blueprint's test: `npx butter test --blueprint-dir example-blueprints/gce-apache run`
// (on the Google mock: the blueprint names a Google image only).
import * as assert from 'node:assert/strict';
import type { BlueprintTest, TestedServiceContext, VerifyContext } from '../../src/tester';

/** Public Apache servers: open to the internet on port 80, and on nothing else. */
export default class ApacheTest implements BlueprintTest {
  public readonly clouds = ['google'] as const;

  public async setupBeforeTestedService(): Promise<Record<string, unknown>> {
    return {}; // no dependencies, and the startup script has no variables
  }

  public async setupAfterTestedService(ctx: TestedServiceContext): Promise<void> {
    await ctx.client.paths.add('0.0.0.0/0', ctx.service.name, 80, { network: ctx.network });
  }

  public async verify(ctx: VerifyContext): Promise<void> {
    assert.ok(ctx.service.instances.length > 0, 'Apache has no instances');
    for (const instance of ctx.service.instances) assert.ok(instance.publicIp, `instance ${instance.id} has no public IP`);
    if (ctx.mock) {
      for (const { instance, script } of ctx.startupScripts()) {
        // A plain shell script is Google's `startup-script` metadata, passed on untouched.
        assert.ok(script?.startsWith('#!/bin/bash'), `instance ${instance.id} did not receive the shell startup script`);
        assert.match(script!, /apt-get install -y apache2/);
      }
    }
    const reach = ctx.reachability();
    const apache = `${ctx.network}/${ctx.service.name}`;
    const http = reach.internetAccessible(apache, 80);
    assert.ok(http.allowed, `the internet should reach Apache on port 80: ${http.reason}`);
    const ssh = reach.internetAccessible(apache, 22);
    assert.ok(!ssh.allowed, `the internet should not reach Apache on port 22: ${ssh.reason}`);
  }
}
