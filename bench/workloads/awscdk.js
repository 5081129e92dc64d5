// @ts-check
/**
 * The same service layout with the AWS CDK (aws-cdk-lib v2), synthesized to CloudFormation.
 *
 * Plain JavaScript on purpose: aws-cdk-lib lives in bench/node_modules (a dev-only dependency of
 * the benchmark), and the root tsconfig type-checks bench/ in `npm test`. A .ts file importing
 * aws-cdk-lib would fail that check on a machine without bench/node_modules, and would make
 * tsc parse aws-cdk-lib's declarations on every `npm test` when they are there.
 *
 * Idiomatic CDK rather than a resource-for-resource copy: one `ec2.Vpc` over three zones (public
 * subnets with a NAT gateway each, private subnets the groups share) and one AutoScalingGroup per
 * service, which brings its own security group, launch template, IAM role and instance profile.
 * Paths are `connections.allowFrom(previous, tcp 80)`.
 */
const fs = require('node:fs');
const path = require('node:path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const { DISK_GIB, fixturesDir, INSTANCE_TYPE, PORT, REGION, serviceName, ZONES } = require('./shape');

/** Any account id: nothing is looked up, it only makes the stack environment-specific. */
const ACCOUNT = '123456789012';

/**
 * @param {number} n services
 * @param {string} outdir where the cloud assembly goes
 * @param {{ validation?: boolean }} [options] `validation: false` turns off the CloudFormation
 *   validation that recent aws-cdk-lib versions run on every synth by default
 */
function build(n, outdir, options = {}) {
  const userData = fs.readFileSync(path.join(fixturesDir(), 'service', 'nginx-cloud-config.yml'), 'utf8');
  const app = new cdk.App({
    outdir,
    builtinCloudFormationValidation: options.validation ?? true,
    context: {
      // Launch templates, as Butter and the bare version use (a launch configuration is the
      // legacy default without this flag, and new accounts can no longer create those).
      '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true,
      // CloudFormation takes at most 500 resources per stack, which ~90 services reach. A
      // deployable app would split them over several stacks; this bench keeps one template
      // (like the single Terraform stack) and lifts the check: synthesis is what is measured.
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
  const stack = new cdk.Stack(app, 'bench', { env: { account: ACCOUNT, region: REGION } });
  // Naming the zones avoids a context lookup, which would need AWS credentials.
  const vpc = new ec2.Vpc(stack, 'vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    availabilityZones: ['a', 'b', 'c'].slice(0, ZONES).map((z) => `${REGION}${z}`),
    natGateways: ZONES,
  });
  // A fixed AMI id in place of a name lookup (which needs an account): same synth work otherwise.
  const machineImage = ec2.MachineImage.genericLinux({ [REGION]: 'ami-0123456789abcdef0' });

  /** @type {import('aws-cdk-lib/aws-autoscaling').AutoScalingGroup[]} */
  const groups = [];
  for (let i = 0; i < n; i++) {
    groups.push(new autoscaling.AutoScalingGroup(stack, serviceName(i), {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: new ec2.InstanceType(INSTANCE_TYPE),
      machineImage,
      userData: ec2.UserData.custom(userData),
      requireImdsv2: true,
      minCapacity: ZONES,
      maxCapacity: ZONES,
      desiredCapacity: ZONES,
      blockDevices: [{
        deviceName: '/dev/sda1',
        volume: autoscaling.BlockDeviceVolume.ebs(DISK_GIB, { volumeType: autoscaling.EbsDeviceVolumeType.GP3, encrypted: true }),
      }],
    }));
  }
  for (let i = 0; i + 1 < n; i++) groups[i + 1].connections.allowFrom(groups[i], ec2.Port.tcp(PORT));
  return app;
}

/** @param {import('aws-cdk-lib').App} app */
function synth(app) {
  app.synth();
}

module.exports = { build, synth };
