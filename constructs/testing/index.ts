// Jest matchers for reachability, for users' own tests of their stacks:
//   import { installButterMatchers } from 'butter-cdktf/constructs/testing';
//   installButterMatchers();                       // or: expect.extend(butterMatchers)
//   expect(stack).toAllowTraffic(lb, web, 80);
//   expect(stack).not.toBeInternetAccessible(web, 22);
// or, with no code, list 'butter-cdktf/constructs/testing/setup' in jest's setupFilesAfterEnv.
import { butterMatchers } from './matchers';

export { butterMatchers, stackReachability, sourceOf } from './matchers';
export type { ReachabilitySubject, TrafficPeer, TrafficTarget } from './matchers';

/** Add the matchers to jest's `expect` (the global one unless given). */
export function installButterMatchers(expectation: { extend(matchers: jest.ExpectExtendMap): void } = (globalThis as any).expect): void {
  if (!expectation || typeof expectation.extend !== 'function') {
    throw new TypeError('installButterMatchers() needs jest\'s expect: call it from a test file or a jest setup file');
  }
  expectation.extend(butterMatchers);
}
