/**
 * workloads/awscdk.js without the built-in CloudFormation validation (`builtinCloudFormationValidation:
 * false`, also `CDK_VALIDATION=false`). Recent aws-cdk-lib versions lint every template on synth
 * with a bundled engine, which dominates their synth time; this variant shows the CDK's
 * construct and synthesis cost alone, so the comparison with Butter is not only about that step.
 */
const { build, synth } = require('./awscdk');

module.exports = {
  /** @param {number} n @param {string} outdir */
  build: (n, outdir) => build(n, outdir, { validation: false }),
  synth,
};
