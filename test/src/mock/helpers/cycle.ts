import { cloudState, tf, writeConfig } from './terraform';

/**
 * The full life of a resource through the real Terraform CLI, as both launch modes (mirror and
 * reattach) must support it: init, plan, apply, show, a clean second plan, an in-place update, a
 * replacement, import, destroy, and destroy again.
 */
export async function lifeCycle(work: string, stateDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const outputs = {
    output: {
      id: { value: '${mock_thing.a.id}' },
      names: { value: '${data.mock_things.all.names}' },
    },
    data: { mock_things: { all: { name_prefix: 'al', depends_on: ['mock_thing.a'] } } },
  };
  const thing = (over: object = {}): Record<string, object> => ({
    a: { name: 'alpha', size: 2, tags: { team: 'core' }, labels: ['x', 'y'], rule: [{ port: 80 }, { port: 443, note: 'tls' }], ...over },
  });
  writeConfig(work, thing(), outputs);

  await tf(work, env, 0, 'init', '-input=false');
  const plan = await tf(work, env, 2, 'plan', '-input=false', '-detailed-exitcode');
  expect(plan.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  expect(plan.stdout).toMatch(/\+ id\s+= \(known after apply\)/);
  expect(plan.stdout).toMatch(/\+ size\s+= 2/);

  await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
  const shown = JSON.parse((await tf(work, env, 0, 'show', '-json')).stdout);
  const resource = shown.values.root_module.resources.find((r: { address: string }) => r.address === 'mock_thing.a');
  const id: string = resource.values.id;
  expect(id).toMatch(/^thing-[0-9a-f]{17}$/);
  expect(resource.values).toMatchObject({
    arn: `arn:mock:thing/${id}`, name: 'alpha', size: 2, zone: 'north-a', tags: { team: 'core' },
    rule: [{ port: 80, note: null, rule_id: `${id}-rule-0` }, { port: 443, note: 'tls', rule_id: `${id}-rule-1` }],
  });
  expect(shown.values.outputs.names.value).toEqual(['alpha']);
  expect(Object.keys(cloudState(stateDir).objects.thing)).toEqual([id]);

  await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');

  // In place: size and a rule's port change, id stays.
  writeConfig(work, thing({ size: 3, rule: [{ port: 81 }, { port: 443, note: 'tls' }] }), outputs);
  const update = await tf(work, env, 2, 'plan', '-input=false', '-detailed-exitcode');
  expect(update.stdout).toContain('mock_thing.a will be updated in-place');
  expect(update.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
  await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
  expect(cloudState(stateDir).objects.thing[id]).toMatchObject({ size: 3 });
  await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');

  // Replacement: the name is forceNew.
  writeConfig(work, thing({ name: 'alpine', size: 3, rule: [{ port: 81 }, { port: 443, note: 'tls' }] }), outputs);
  const replace = await tf(work, env, 2, 'plan', '-input=false', '-detailed-exitcode');
  expect(replace.stdout).toContain('mock_thing.a must be replaced');
  expect(replace.stdout).toMatch(/name\s+= "alpha" -> "alpine" # forces replacement/);
  await tf(work, env, 0, 'apply', '-input=false', '-auto-approve');
  const ids = Object.keys(cloudState(stateDir).objects.thing);
  expect(ids).toHaveLength(1);
  expect(ids[0]).not.toEqual(id);

  // Import: forget the resource, import it back, and the plan is clean again.
  await tf(work, env, 0, 'state', 'rm', 'mock_thing.a');
  const missing = await tf(work, env, 1, 'import', '-input=false', 'mock_thing.a', 'thing-00000000000000000');
  expect(missing.stderr).toContain('Cannot import non-existent remote object');
  await tf(work, env, 0, 'import', '-input=false', 'mock_thing.a', ids[0]);
  await tf(work, env, 0, 'plan', '-input=false', '-detailed-exitcode');

  const destroy = await tf(work, env, 0, 'destroy', '-input=false', '-auto-approve');
  expect(destroy.stdout).toContain('Destroy complete! Resources: 1 destroyed.');
  expect(cloudState(stateDir).objects).toEqual({});
  const again = await tf(work, env, 0, 'destroy', '-input=false', '-auto-approve');
  expect(again.stdout).toContain('Resources: 0 destroyed.');
}
