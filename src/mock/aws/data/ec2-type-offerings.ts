/**
 * Where EC2 offers the instance types that are not everywhere, for the accelerated families where
 * it matters to a deployment (DescribeInstanceTypeOfferings facts). Every other type is offered in
 * every zone of the mock's regions.
 *
 * Zone level (zone ids, so the per-account name mapping of ../regions.ts applies): the EC2 API's
 * per-zone offerings as SkyPilot's public catalog publishes them
 * (https://github.com/skypilot-org/skypilot-catalog, catalogs/v7/aws/vms.csv, commit 001367d2),
 * checked on 2026-12-06. That catalog covers the regions in ZONE_SURVEYED_REGIONS; in the mock's
 * other regions (sa-east-1, ca-west-1, eu-central-2, il-central-1) nothing is known and nothing is
 * refused.
 *
 * Region level: g5 (the family, from g5.2xlarge) as `aws ec2 describe-instance-type-offerings
 * --location-type region` reported it over every commercial region, quoted in
 * https://github.com/validatedpatterns/rag-llm-gitops/pull/52.
 *
 * Facts only. The other accelerated families (g4dn, g6, g6e, dl1, inf1, ...) are not listed (not
 * read from the source), so the mock offers them everywhere.
 */

/** Regions whose zones the zone-level source lists (the mock's regions among them). */
export const ZONE_SURVEYED_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'eu-south-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-east-1',
  'me-south-1', 'af-south-1', 'ap-southeast-3', 'me-central-1',
];

const INF2 = 'apne1-az1 apne1-az4 aps1-az1 aps1-az3 apse1-az2 apse1-az3 apse2-az1 apse2-az3 euc1-az2 euc1-az3 eun1-az1 eun1-az2 euw1-az1 euw1-az2 euw1-az3 euw2-az2 euw3-az2 euw3-az3 use1-az2 use1-az4 use1-az5 use1-az6 use2-az1 use2-az2 use2-az3 usw2-az1 usw2-az2 usw2-az3 usw2-az4';

/** Instance type -> the zone ids offering it (in the surveyed regions). */
export const ZONE_OFFERINGS: Readonly<Record<string, string>> = {
  'inf2.xlarge': 'apne1-az1 apne1-az4 apne2-az1 apne2-az2 aps1-az1 aps1-az3 apse1-az2 apse1-az3 apse2-az1 apse2-az3 euc1-az2 euc1-az3 eun1-az1 eun1-az2 euw1-az1 euw1-az2 euw1-az3 euw2-az2 euw3-az2 euw3-az3 use1-az2 use1-az4 use1-az5 use1-az6 use2-az1 use2-az2 use2-az3 usw2-az1 usw2-az2 usw2-az3 usw2-az4',
  'inf2.8xlarge': INF2,
  'inf2.24xlarge': INF2,
  'inf2.48xlarge': INF2,
  'p4d.24xlarge': 'apne1-az4 apne2-az4 aps1-az1 aps1-az2 aps1-az3 apse2-az1 apse2-az2 euc1-az3 euw1-az2 use1-az1 use1-az2 use1-az6 use2-az1 use2-az2 usw2-az1 usw2-az2 usw2-az3',
  'p4de.24xlarge': 'use1-az1 use1-az2 use1-az3 use1-az4 use1-az5 use1-az6 usw2-az1 usw2-az2 usw2-az3 usw2-az4',
  'p5.48xlarge': 'apne1-az1 apne1-az4 aps1-az1 aps1-az2 aps1-az3 apse2-az1 apse2-az2 apse2-az3 cac1-az4 eun1-az1 eun1-az2 eun1-az3 euw2-az1 euw2-az2 euw2-az3 use1-az1 use1-az2 use1-az3 use1-az4 use1-az5 use1-az6 use2-az1 use2-az2 use2-az3 usw1-az1 usw1-az3 usw2-az1 usw2-az2 usw2-az3 usw2-az4',
  'p5e.48xlarge': 'apse2-az3 apse3-az1 eun1-az1 euw2-az2 use2-az1 use2-az3 usw2-az3',
  'trn1.2xlarge': 'use1-az5 use1-az6 use2-az3 usw2-az1 usw2-az4',
  'trn1.32xlarge': 'aps1-az2 apse2-az1 apse2-az2 use1-az4 use1-az5 use1-az6 use2-az3 usw2-az1 usw2-az4',
  'trn1n.32xlarge': 'use1-az6 use2-az3 usw2-az4',
  'trn2.48xlarge': 'use2-az1',
  'p5en.48xlarge': 'apne1-az4 apne2-az1 aps1-az1 aps1-az3 apse3-az2 apse3-az3 use1-az2 use2-az1 use2-az2 use2-az3 usw1-az3 usw2-az2 usw2-az3 usw2-az4',
};

/** Instance family -> the regions offering it (every region was surveyed). */
export const REGION_OFFERINGS: Readonly<Record<string, readonly string[]>> = {
  g5: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
    'eu-north-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1'],
};
