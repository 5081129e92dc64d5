/**
 * Every instance type name the EC2 API enumerates, as family and sizes: one line per family,
 * `<family> <size> <size> ...`. Facts only; the mock parses this on first use (see
 * ../instance-types.ts), so provider start-up does not pay for it.
 *
 * Source: the `InstanceType` enum of the EC2 service model (API version 2016-11-15) that the AWS
 * SDKs ship, botocore 1.43.11 (https://github.com/boto/botocore, botocore/data/ec2/2016-11-15/
 * service-2.json): 1,212 names. Checked name for name against that enum on 2026-12-06 (the table
 * had been written from botocore 1.42 and lacked c8id, m8id, r8id and hpc8a); the catalog test
 * pins the count.
 *
 * Butter's fitter does not read this: it chooses from its own curated, priced catalog
 * (src/planning/catalog/aws-instance-types.ts). Refresh this list from a newer EC2 service model
 * when AWS adds families.
 */

/** Sizes shared by many families, named to keep the table short. */
const SIZE_SETS: Readonly<Record<string, string>> = {
  '@t': 'nano micro small medium large xlarge 2xlarge',
  '@5': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal',
  '@5a': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge',
  '@6a': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal',
  '@6g': 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  '@6i': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  '@7a': 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl',
  '@7i': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  '@flex': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge',
  '@8': 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  '@8i': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 96xlarge metal-48xl metal-96xl',
  '@g5': 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
};

export const EC2_INSTANCE_TYPE_TABLE = `
a1 medium large xlarge 2xlarge 4xlarge metal
c1 medium xlarge
c3 large xlarge 2xlarge 4xlarge 8xlarge
c4 large xlarge 2xlarge 4xlarge 8xlarge
c5 large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal
c5a @5a
c5ad @5a
c5d large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal
c5n large xlarge 2xlarge 4xlarge 9xlarge 18xlarge metal
c6a @6a
c6g @6g
c6gd @6g
c6gn medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge
c6i @6i
c6id @6i
c6in @6i
c7a @7a
c7g @6g
c7gd @6g
c7gn @6g
c7i-flex @flex
c7i @7i
c8a @8
c8g @8
c8gb @8
c8gd @8
c8gn @8
c8i-flex @flex
c8i @8i
c8id @8i
cc1 4xlarge
cc2 8xlarge
cg1 4xlarge
cr1 8xlarge
d2 xlarge 2xlarge 4xlarge 8xlarge
d3 xlarge 2xlarge 4xlarge 8xlarge
d3en xlarge 2xlarge 4xlarge 6xlarge 8xlarge 12xlarge
dl1 24xlarge
dl2q 24xlarge
f1 2xlarge 4xlarge 16xlarge
f2 6xlarge 12xlarge 48xlarge
g2 2xlarge 8xlarge
g3 4xlarge 8xlarge 16xlarge
g3s xlarge
g4ad xlarge 2xlarge 4xlarge 8xlarge 16xlarge
g4dn xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal
g5 @g5
g5g xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal
g6 @g5
g6e @g5
g6f large xlarge 2xlarge 4xlarge
g7e 2xlarge 4xlarge 8xlarge 12xlarge 24xlarge 48xlarge
gr6 4xlarge 8xlarge
gr6f 4xlarge
h1 2xlarge 4xlarge 8xlarge 16xlarge
hi1 4xlarge
hpc6a 48xlarge
hpc6id 32xlarge
hpc7a 12xlarge 24xlarge 48xlarge 96xlarge
hpc7g 4xlarge 8xlarge 16xlarge
hpc8a 96xlarge
hs1 8xlarge
i2 xlarge 2xlarge 4xlarge 8xlarge
i3 large xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal
i3en large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal
i4g large xlarge 2xlarge 4xlarge 8xlarge 16xlarge
i4i large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal
i7i @7i
i7ie large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 18xlarge 24xlarge 48xlarge metal-24xl metal-48xl
i8g large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl
i8ge large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 18xlarge 24xlarge 48xlarge metal-24xl metal-48xl
im4gn large xlarge 2xlarge 4xlarge 8xlarge 16xlarge
inf1 xlarge 2xlarge 6xlarge 24xlarge
inf2 xlarge 8xlarge 24xlarge 48xlarge
is4gen medium large xlarge 2xlarge 4xlarge 8xlarge
m1 small medium large xlarge
m2 xlarge 2xlarge 4xlarge
m3 medium large xlarge 2xlarge
m4 large xlarge 2xlarge 4xlarge 10xlarge 16xlarge
m5 @5
m5a @5a
m5ad @5a
m5d @5
m5dn @5
m5n @5
m5zn large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal
m6a @6a
m6g @6g
m6gd @6g
m6i @6i
m6id @6i
m6idn @6i
m6in @6i
m7a @7a
m7g @6g
m7gd @6g
m7i-flex @flex
m7i @7i
m8a @8
m8azn medium large xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal-12xl metal-24xl
m8g @8
m8gb @8
m8gd @8
m8gn @8
m8i-flex @flex
m8i @8i
m8id @8i
mac-m4 metal
mac-m4max metal
mac-m4pro metal
mac1 metal
mac2-m1ultra metal
mac2-m2 metal
mac2-m2pro metal
mac2 metal
p2 xlarge 8xlarge 16xlarge
p3 2xlarge 8xlarge 16xlarge
p3dn 24xlarge
p4d 24xlarge
p4de 24xlarge
p5 4xlarge 48xlarge
p5e 48xlarge
p5en 48xlarge
p6-b200 48xlarge
p6-b300 48xlarge
p6e-gb200 36xlarge
r3 large xlarge 2xlarge 4xlarge 8xlarge
r4 large xlarge 2xlarge 4xlarge 8xlarge 16xlarge
r5 @5
r5a @5a
r5ad @5a
r5b @5
r5d @5
r5dn @5
r5n @5
r6a @6a
r6g @6g
r6gd @6g
r6i @6i
r6id @6i
r6idn @6i
r6in @6i
r7a @7a
r7g @6g
r7gd @6g
r7i @7i
r7iz large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 32xlarge metal-16xl metal-32xl
r8a @8
r8g @8
r8gb medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal-24xl
r8gd @8
r8gn @8
r8i-flex @flex
r8i @8i
r8id @8i
t1 micro
t2 @t
t3 @t
t3a @t
t4g @t
trn1 2xlarge 32xlarge
trn1n 32xlarge
trn2 3xlarge 48xlarge
u-12tb1 112xlarge metal
u-18tb1 112xlarge metal
u-24tb1 112xlarge metal
u-3tb1 56xlarge
u-6tb1 56xlarge 112xlarge metal
u-9tb1 112xlarge metal
u7i-12tb 224xlarge
u7i-6tb 112xlarge
u7i-8tb 112xlarge
u7ib-12tb 224xlarge
u7in-16tb 224xlarge
u7in-24tb 224xlarge
u7in-32tb 224xlarge
u7inh-32tb 480xlarge
vt1 3xlarge 6xlarge 24xlarge
x1 16xlarge 32xlarge
x1e xlarge 2xlarge 4xlarge 8xlarge 16xlarge 32xlarge
x2gd @6g
x2idn 16xlarge 24xlarge 32xlarge metal
x2iedn xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge metal
x2iezn 2xlarge 4xlarge 6xlarge 8xlarge 12xlarge metal
x8aedz large xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal-12xl metal-24xl
x8g @8
x8i large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 64xlarge 96xlarge metal-48xl metal-96xl
z1d large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal
`;

/** The table as `family -> sizes`, shorthands expanded. */
export function ec2InstanceTypeFamilies(): Map<string, string[]> {
  const families = new Map<string, string[]>();
  for (const line of EC2_INSTANCE_TYPE_TABLE.split('\n')) {
    const [family, ...sizes] = line.trim().split(/\s+/);
    if (!family) continue;
    families.set(family, sizes.flatMap((s) => (SIZE_SETS[s] ?? s).split(' ')));
  }
  return families;
}
