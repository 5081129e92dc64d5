import { Internet, CidrBlock, Path, Port } from '../../../constructs';
import { installButterMatchers, stackReachability } from '../../../constructs/testing';
import { fromSynthesized, Reachability } from '../../../src/reachability';
import { blueprints, lbAndWeb, synth } from '../../src/reachability/helpers';

installButterMatchers();

/** The jest matchers users put in their own tests, on stacks of both clouds. */
describe.each(['aws', 'google'] as const)('%s: reachability matchers', (cloud) => {
  const bps = blueprints();

  test('the seed\'s paths test with matchers: no access, a Path, access, the Path removed, no access', () => {
    const { stack, lb, web } = lbAndWeb(cloud, bps);
    expect(stack).not.toAllowTraffic(lb, web, 80);
    expect(stack).not.toBeInternetAccessible(lb, 443);

    const path = new Path(lb, web, 80);
    const open = new Path(Internet, lb, Port.tcp(443));
    expect(stack).toAllowTraffic(lb, web, 80);
    expect(stack).toBeInternetAccessible(lb, 443);
    expect(stack).not.toBeInternetAccessible(web, 80);
    expect(stack).not.toAllowTraffic(web, lb, 80);

    web.node.tryRemoveChild(path.node.id);
    lb.node.tryRemoveChild(open.node.id);
    expect(stack).not.toAllowTraffic(lb, web, 80);
    expect(stack).not.toBeInternetAccessible(lb, 443);
  });

  test('peers as constructs, CidrBlocks or text; subjects as a stack, its JSON or a Reachability', () => {
    const { stack, lb, web } = lbAndWeb(cloud, bps);
    new Path(new CidrBlock('10.0.0.0/16'), web, Port.udp(53));
    new Path(Internet, web, 22);
    const doc = synth(stack);
    for (const subject of [stack, doc, JSON.stringify(doc), new Reachability(fromSynthesized(doc))]) {
      expect(subject).toAllowTraffic(new CidrBlock('10.0.1.0/24'), web, 'udp:53');
      expect(subject).toAllowTraffic('10.0.0.7', 'web', Port.udp(53));
      expect(subject).toAllowTraffic(lb, 'dev/web', 'udp:53');
      expect(subject).not.toAllowTraffic(lb, web, 53);
      expect(subject).not.toAllowTraffic(Internet, web, 'udp:53');
      // Open to 0.0.0.0/0, but web has no public address.
      expect(subject).toAllowTraffic(Internet, web, 22);
      expect(subject).not.toBeInternetAccessible(web, 22);
    }
  });

  test('failure messages give the verdict\'s reason', () => {
    const { stack, lb, web } = lbAndWeb(cloud, bps);
    new Path(lb, web, 80);
    expect(() => expect(stack).toAllowTraffic(lb, web, 443))
      .toThrow(/Expected the rules to allow dev\/lb to reach dev\/web on tcp:443, but no rule admits tcp:443 from dev\/lb to dev\/web; rules for dev\/web admit tcp:80 from dev\/lb/);
    expect(() => expect(stack).not.toAllowTraffic(lb, web, 80))
      .toThrow(/Expected the rules not to allow dev\/lb to reach dev\/web on tcp:80, but dev\/lb can reach dev\/web on tcp:80: allowed by \S+ \(tcp:80 from dev\/lb\)/);
    expect(() => expect(stack).toBeInternetAccessible(web, 80))
      .toThrow(/Expected dev\/web to be reachable from the internet on tcp:80, but dev\/web is not reachable from the internet on tcp:80: no rule admits tcp:80 from a public address; it has no public address/);
    expect(() => expect(stack).toAllowTraffic('nope', web, 80)).toThrow(/no service "nope" in network dev \[REACHABILITY_UNKNOWN_SERVICE\]/);
    expect(() => expect(42).toAllowTraffic(lb, web, 80)).toThrow(/cannot check reachability of number \[REACHABILITY_SUBJECT_INVALID\]/);
  });

  test('a stack is synthesized once for many assertions, and again after it changes', () => {
    const { stack, lb, web } = lbAndWeb(cloud, bps);
    const first = stackReachability(stack);
    expect(stackReachability(stack)).toBe(first);
    new Path(lb, web, 80);
    const second = stackReachability(stack);
    expect(second).not.toBe(first);
    expect(stackReachability(stack)).toBe(second);
  });
});
