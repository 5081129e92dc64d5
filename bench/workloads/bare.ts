/**
 * The same infrastructure as workloads/butter.ts written directly with the provider classes, the
 * way someone without Butter would: every resource spelled out, subnet blocks computed with a
 * line of arithmetic, the instance type and image owner hard-coded, the cloud-config read once.
 * It emits the same resource and data types, the same nested blocks, tags, lifecycle
 * preconditions and user-data locals as Butter (run.ts asserts the type counts match), so the
 * timing difference is what Butter's planning and constructs cost.
 *
 * Deep imports only (`@cdktf/provider-aws/lib/<resource>`): the package root loads every one of
 * the provider's ~1,500 resource classes, which no serious app (nor Butter) does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Fn, TerraformLocal, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AutoscalingGroup, AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsInstances } from '@cdktf/provider-aws/lib/data-aws-instances';
import type { Construct } from 'constructs';
import { DISK_GIB, fixturesDir, IMAGE_NAME, IMAGE_OWNER, INSTANCE_TYPE, PORT, REGION, serviceName, ZONES } from './shape';

const NET = 'net';

/** The i-th /28 of 10.0.0.0/16: services take 3 each from the bottom, NAT subnets sit at the top. */
function block28(i: number): string {
  const offset = i * 16;
  return `10.0.${offset >> 8}.${offset & 255}/28`;
}

/**
 * What workloads/bare-lb.ts adds to each service (its load balancer), given the service's pieces;
 * returns what the service's group needs from it.
 */
export type ServiceExtra = (scope: Construct, svc: ServiceParts) => Partial<AutoscalingGroupConfig>;

/** A bare service's resources that a balancer refers to. */
export interface ServiceParts {
  readonly provider: AwsProvider;
  readonly index: number;
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly vpcId: string;
  readonly sg: SecurityGroup;
  readonly zoneName: (z: number) => string;
  readonly zoneCondition: string;
  readonly publicRoutes: RouteTable;
}

export function build(n: number, outdir: string): App {
  return buildBare(n, outdir);
}

/** The bare app, with `extra` called once per service (the balancer workload's hook). */
export function buildBare(n: number, outdir: string, extra?: ServiceExtra): App {
  const userData = fs.readFileSync(path.join(fixturesDir(), 'service', 'nginx-cloud-config.yml'), 'utf8');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  const provider = new AwsProvider(stack, 'aws', { region: REGION });
  const netTags = (role?: string) => ({ Name: role ? `${NET}-${role}` : NET, 'butter:network': NET });

  // ---- network
  const vpc = new Vpc(stack, 'vpc', {
    provider, cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: true, tags: netTags(),
  });
  new DefaultSecurityGroup(stack, 'default-sg', { provider, vpcId: vpc.id, tags: netTags() });
  const zones = new DataAwsAvailabilityZones(stack, 'zones', {
    provider, state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
  });
  const zoneName = (z: number) => Token.asString(Fn.lookupNested(zones.names, [z]));
  const igw = new InternetGateway(stack, 'igw', { provider, vpcId: vpc.id, tags: netTags() });
  const publicRoutes = new RouteTable(stack, 'public-routes', { provider, vpcId: vpc.id, tags: netTags('public') });
  new Route(stack, 'public-default-route', {
    provider, routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id,
  });
  const privateRoutes: RouteTable[] = [];
  for (let z = 0; z < ZONES; z++) {
    const tags = netTags(`nat-${z}`);
    const natSubnet = new Subnet(stack, `nat-subnet-${z}`, {
      provider, vpcId: vpc.id, cidrBlock: block28(4095 - z), availabilityZone: zoneName(z), tags,
    });
    new RouteTableAssociation(stack, `nat-subnet-${z}-routes`, { provider, subnetId: natSubnet.id, routeTableId: publicRoutes.id });
    const eip = new Eip(stack, `nat-ip-${z}`, { provider, domain: 'vpc', tags });
    const nat = new NatGateway(stack, `nat-${z}`, {
      provider, allocationId: eip.allocationId, subnetId: natSubnet.id, tags, dependsOn: [igw],
    });
    const table = new RouteTable(stack, `private-routes-${z}`, { provider, vpcId: vpc.id, tags: netTags(`private-${z}`) });
    new Route(stack, `private-default-route-${z}`, {
      provider, routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id,
    });
    privateRoutes.push(table);
  }

  // ---- services
  const securityGroups: SecurityGroup[] = [];
  for (let i = 0; i < n; i++) {
    const svc = serviceName(i);
    const name = `${NET}-${svc}`;
    const tags = { Name: name, 'butter:network': NET, 'butter:service': svc };
    const subnets: Subnet[] = [];
    for (let z = 0; z < ZONES; z++) {
      const subnet = new Subnet(stack, `${svc}-subnet-${z}`, {
        provider,
        vpcId: vpc.id,
        cidrBlock: block28(i * ZONES + z),
        availabilityZone: zoneName(z),
        tags: { ...tags, Name: `${name}-${z}` },
        lifecycle: {
          createBeforeDestroy: true,
          precondition: [{
            condition: `\${length(${zones.fqn}.names) >= ${ZONES}}`,
            errorMessage: `${REGION} has fewer than ${ZONES} availability zones.`,
          }],
        },
      });
      new RouteTableAssociation(stack, `${svc}-subnet-${z}-routes`, { provider, subnetId: subnet.id, routeTableId: privateRoutes[z].id });
      subnets.push(subnet);
    }
    const sg = new SecurityGroup(stack, `${svc}-sg`, { provider, name, description: `service ${name}`, vpcId: vpc.id, tags });
    new VpcSecurityGroupEgressRule(stack, `${svc}-egress`, {
      provider, securityGroupId: sg.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'outbound to anywhere', tags,
    });
    const ami = new DataAwsAmi(stack, `${svc}-image`, {
      provider,
      mostRecent: true,
      owners: [IMAGE_OWNER],
      filter: [
        { name: 'name', values: [IMAGE_NAME] },
        { name: 'architecture', values: ['x86_64'] },
        { name: 'state', values: ['available'] },
      ],
    });
    const script = new TerraformLocal(stack, `${svc}-user-data`, userData);
    const template = new LaunchTemplate(stack, `${svc}-template`, {
      provider,
      name,
      imageId: ami.id,
      instanceType: INSTANCE_TYPE,
      userData: Fn.base64encode(script.asString),
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      networkInterfaces: [{ associatePublicIpAddress: 'false', securityGroups: [sg.id], deleteOnTermination: 'true' }],
      blockDeviceMappings: [{
        deviceName: ami.rootDeviceName,
        ebs: { volumeSize: DISK_GIB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
      }],
      tagSpecifications: [{ resourceType: 'instance', tags }, { resourceType: 'volume', tags }],
      tags,
    });
    const fromExtra = extra?.(stack, {
      provider, index: i, name, tags, vpcId: vpc.id, sg, zoneName, zoneCondition: `\${length(${zones.fqn}.names) >= ${ZONES}}`, publicRoutes,
    });
    const group = new AutoscalingGroup(stack, `${svc}-group`, {
      provider,
      name,
      minSize: ZONES,
      maxSize: ZONES,
      desiredCapacity: ZONES,
      vpcZoneIdentifier: subnets.map((s) => s.id),
      healthCheckType: 'EC2',
      instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 50 } },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      ...fromExtra,
    });
    new DataAwsInstances(stack, `${svc}-instances`, {
      provider,
      instanceTags: { 'aws:autoscaling:groupName': group.name },
      instanceStateNames: ['pending', 'running'],
      dependsOn: [group],
    });
    securityGroups.push(sg);
  }

  // ---- paths: service i may reach service i+1 on port 80
  for (let i = 0; i + 1 < n; i++) {
    const from = serviceName(i);
    const to = serviceName(i + 1);
    new VpcSecurityGroupIngressRule(stack, `${to}-from-${from}`, {
      provider,
      securityGroupId: securityGroups[i + 1].id,
      referencedSecurityGroupId: securityGroups[i].id,
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      description: `${from} to ${to} on tcp:${PORT}`,
      tags: { Name: `${NET}-${to}-from-${from}`, 'butter:network': NET, 'butter:service': to },
    });
  }
  return app;
}

export function synth(app: App): void {
  app.synth();
}
