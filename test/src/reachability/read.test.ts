import { Internet, Path } from '../../../constructs';
import { fromState, fromSynthesized, Reachability } from '../../../src/reachability';
import { ButterError } from '../../../src/errors';
import type { TfJson } from '../../helpers/synth';
import { blueprints, lbAndWeb, synth } from './helpers';

/** Several stacks and both clouds read into one model. */
describe('reading several stacks', () => {
  let awsDoc: TfJson;
  let googleDoc: TfJson;
  beforeAll(() => {
    const bps = blueprints();
    const awsSide = lbAndWeb('aws', bps, 'adev');
    new Path(awsSide.lb, awsSide.web, 80);
    const googleSide = lbAndWeb('google', bps, 'gdev');
    new Path(Internet, googleSide.lb, 443);
    awsDoc = synth(awsSide.stack);
    googleDoc = synth(googleSide.stack);
  });

  test('both clouds in one model, each network tagged with its stack', () => {
    const model = fromSynthesized([{ stack: 'aws-stack', config: awsDoc }, { stack: 'gce-stack', config: JSON.stringify(googleDoc) }]);
    expect(model.networks).toEqual([{ name: 'adev', cloud: 'aws', stack: 'aws-stack' }, { name: 'gdev', cloud: 'google', stack: 'gce-stack' }]);
    expect(model.services.map((s) => s.key)).toEqual(['adev/lb', 'adev/web', 'gdev/lb', 'gdev/web']);
    const r = new Reachability(model);
    expect(r.hasAccess('adev/lb', 'adev/web', 80).allowed).toBe(true);
    expect(r.internetAccessible('gdev/lb', 443).allowed).toBe(true);
    expect(() => r.hasAccess('lb', 'web', 80)).toThrow(/REACHABILITY_AMBIGUOUS_SERVICE/);
  });

  test('the stack name comes from cdktf\'s metadata when not given', () => {
    const withMeta = { ...awsDoc, '//': { metadata: { stackName: 'from-meta', backend: 'local' } } };
    expect(fromSynthesized(withMeta).networks[0].stack).toBe('from-meta');
    expect(fromSynthesized(awsDoc).networks[0].stack).toBeUndefined();
  });

  test('two networks of one name are refused; bad input is a ButterError, not a crash', () => {
    let error: unknown;
    try {
      fromSynthesized([{ stack: 'one', config: awsDoc }, { stack: 'two', config: awsDoc }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ButterError);
    expect((error as ButterError).message).toBe('two networks are named "adev" (in stack one and stack two) [REACHABILITY_DUPLICATE_NETWORK]\n  fix: give the networks distinct names, or analyse those stacks separately');
    expect(() => fromSynthesized('{"resource": ')).toThrow(/a synthesized stack is not valid JSON: .* \[REACHABILITY_INPUT_INVALID\]/);
    expect(() => fromSynthesized('[1, 2]')).toThrow(/must be a Terraform JSON object \[REACHABILITY_INPUT_INVALID\]/);
  });

  test('an empty stack or state is an empty model', () => {
    expect(fromSynthesized({})).toEqual({ networks: [], services: [], rules: [], shadowed: [], warnings: [] });
    expect(fromState([])).toEqual({ networks: [], services: [], rules: [], shadowed: [], warnings: [] });
    expect(() => new Reachability(fromState([])).hasAccess('a', 'b', 1)).toThrow(/no service "a" in the input \(it holds no Butter network\)/);
  });
});
