/**
 * The blueprint tester (`butter test`): the seed's `butter-test`, on Terraform, with the mock
 * cloud as the default target. Fixtures implement {@link BlueprintTest}.
 */
export type {
  BlueprintTest, InstanceStartup, TeardownContext, TestContext, TestedServiceContext, VerifyContext,
} from './fixture';
export { FIXTURE_FILE, loadFixture, TESTED_BLUEPRINT_FILE } from './load';
export { runBlueprintTest, testNames } from './runner';
export type { BlueprintTestOptions } from './runner';
export { TEST_ACTIONS } from './report';
export type { PhaseOutcome, TestAction, TestPhase, TestReport } from './report';
