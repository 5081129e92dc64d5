import { Fn, TerraformLocal, Token } from 'cdktf';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { LaunchTemplate, LaunchTemplateBlockDeviceMappings } from '@cdktf/provider-aws/lib/launch-template';
import { AutoscalingGroup, AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { DataAwsInstances } from '@cdktf/provider-aws/lib/data-aws-instances';
import { displayPath } from '../../src/errors';
import { checkUserDataSize } from '../../src/planning/templating/user-data-size';
import type { Service } from '../service';
import type { RenderedService } from '../renderer';
import { AwsNetworkResources } from './network';
import { awsTags } from './tags';
import { literal, literals } from '../literal';
import { recordBlueprint } from '../checks';

/**
 * One service on AWS: a subnet per zone (public or private), a security group with no ingress
 * (Paths add it), a launch template and an autoscaling group of exactly `count` instances, or,
 * with `scaling:`, between `min` and `max` under a CPU target-tracking policy.
 */
export class AwsServiceResources implements RenderedService {
  public readonly securityGroup: SecurityGroup;
  /** `securityGroup.id`, read once (each read is a new cdktf token). */
  public readonly securityGroupId: string;
  public readonly subnets: Subnet[];
  public readonly group: AutoscalingGroup;
  /** The target-tracking policy of a service with `scaling:`. @default - none */
  public readonly scalingPolicy?: AutoscalingPolicy;
  public readonly instances: DataAwsInstances;

  constructor(service: Service, net: AwsNetworkResources) {
    // Everything below that came from a blueprint, the workspace or a name is text, never a
    // Terraform expression: the plan's strings (image name pattern and owners, instance type,
    // disk types and device names) and the names are escaped once, here (see ../literal.ts).
    const plan = literals(service.plan);
    const provider = net.provider;
    const networkName = service.network.networkName;
    const tags = awsTags(networkName, service.serviceName);
    const name = literal(`${networkName}-${service.serviceName}`);
    const blueprintName = literal(service.blueprint.file ? displayPath(service.blueprint.file) : 'the blueprint');

    this.subnets = net.zoneSubnets(service, plan.subnets, { public: plan.publicIp, zones: plan.zones, tags, name, blueprintName });

    // No ingress here, ever: every opening is a Path's rule, so reachability can be read off them.
    this.securityGroup = new SecurityGroup(service, 'sg', {
      provider,
      name,
      description: `Butter service ${name}: ingress only from Paths`,
      vpcId: net.vpcId,
      tags,
    });
    this.securityGroupId = this.securityGroup.id;
    new VpcSecurityGroupEgressRule(service, 'egress', {
      provider,
      securityGroupId: this.securityGroupId,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'outbound to anywhere (replies and updates)',
      tags,
    });

    const image = plan.image.cloud === 'aws' ? plan.image : undefined;
    const ami = new DataAwsAmi(service, 'image', {
      provider,
      mostRecent: true,
      // Never an owner-less lookup: anyone can publish an AMI with a popular name.
      owners: [...(image?.owners ?? [])],
      filter: [
        { name: 'name', values: [image?.namePattern ?? ''] },
        { name: 'architecture', values: [plan.architecture] },
        { name: 'state', values: ['available'] },
      ],
    });

    // EC2 accepts a launch template with too much user data and then fails every launch.
    checkUserDataSize('aws', service.userData, { file: service.blueprint.file, constructPath: service.node.path });
    const userData = service.userData
      ? Fn.base64encode(new TerraformLocal(service, 'user-data', service.userData).asString)
      : undefined;

    const template = new LaunchTemplate(service, 'template', {
      provider,
      name,
      imageId: ami.id,
      instanceType: plan.machine.kind === 'type' ? plan.machine.type : undefined,
      userData,
      updateDefaultVersion: true,
      // IMDSv2 only: session tokens defeat SSRF-style credential theft through the metadata service.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      networkInterfaces: [{
        associatePublicIpAddress: String(plan.publicIp),
        securityGroups: [this.securityGroupId],
        deleteOnTermination: 'true',
      }],
      blockDeviceMappings: blockDevices(plan.disks, ami.rootDeviceName),
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      tags,
    });

    // Where `butter check` findings on these point (the blueprint file, in their `//` metadata).
    for (const r of [template, ami]) recordBlueprint(r, service.blueprint.file);

    const launchTemplate = { id: template.id, version: Token.asString(template.latestVersion) };
    const templateId = launchTemplate.id;
    const groupConfig: AutoscalingGroupConfig = {
      provider,
      name,
      // Scaled: the policy moves the desired capacity between the bounds. Left unset, it starts
      // at min_size and a later apply never resets what the policy chose (no ignore_changes
      // needed); changing min or max is an in-place update of the group.
      ...(plan.scaling
        ? { minSize: plan.scaling.min, maxSize: plan.scaling.max }
        : { minSize: plan.count, maxSize: plan.count, desiredCapacity: plan.count }),
      vpcZoneIdentifier: this.subnets.map((s) => s.id),
      // Without a balancer AWS can only judge an instance by EC2's status checks; the blueprint's
      // health_check still sets how long a new instance has to boot before it counts. A load
      // balancer switches the group to its health checks (see ./load-balancer.ts).
      healthCheckType: 'EC2',
      ...(plan.healthCheck && { healthCheckGracePeriod: plan.healthCheck.gracePeriodSeconds }),
      // A new template version (new image, new startup script) replaces instances gradually.
      instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 50 } },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      ...(plan.machine.kind === 'type'
        ? { launchTemplate }
        : {
          mixedInstancesPolicy: {
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateId: templateId, version: launchTemplate.version },
              override: [{ instanceRequirements: plan.machine.requirements }],
            },
          },
        }),
    };
    this.group = new AutoscalingGroup(service, 'group', groupConfig);
    if (plan.scaling) {
      // Loaded by the first service that scales: the class costs 10 ms of a cold start.
      const { AutoscalingPolicy } = require('@cdktf/provider-aws/lib/autoscaling-policy') as typeof import('@cdktf/provider-aws/lib/autoscaling-policy');
      this.scalingPolicy = new AutoscalingPolicy(service, 'scaling', {
        provider,
        name: `${name}-cpu`,
        autoscalingGroupName: this.group.name,
        policyType: 'TargetTrackingScaling',
        // Target tracking adds instances when the group's average CPU is above the target and
        // removes them (more slowly) when it is below: the one policy that needs no alarms.
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
          targetValue: plan.scaling.targetCpuPercent,
        },
      });
    }

    // The group's instances, once it has them (Terraform waits for the group's capacity).
    this.instances = new DataAwsInstances(service, 'instances', {
      provider,
      instanceTags: { 'aws:autoscaling:groupName': this.group.name },
      instanceStateNames: ['pending', 'running'],
      dependsOn: [this.group],
    });
  }

  public get privateIps(): string[] {
    return this.instances.privateIps;
  }

  public get publicIps(): string[] {
    return this.instances.publicIps;
  }

  public get instanceIds(): string[] {
    return this.instances.ids;
  }
}

/**
 * EBS volumes from the blueprint's disks: encrypted, deleted with the instance. With no disks
 * listed the root volume still gets a mapping, because encryption is not the AMI's choice to make.
 */
function blockDevices(disks: Service['plan']['disks'], rootDevice: string): LaunchTemplateBlockDeviceMappings[] {
  if (disks.length === 0) {
    return [{ deviceName: rootDevice, ebs: { volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }];
  }
  return disks.map((d, i) => ({
    // The first disk is the boot disk: it must use the image's root device name to resize it.
    deviceName: d.deviceName ?? (i === 0 ? rootDevice : `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + i - 1)}`),
    ebs: { volumeSize: d.sizeGiB, volumeType: d.type, encrypted: 'true', deleteOnTermination: 'true' },
  }));
}
