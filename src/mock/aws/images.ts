import { hashHex } from './common';

/**
 * The public AMIs of the mock cloud: a few real release series of the publishers Butter knows
 * (Canonical, Debian, Amazon), with their real naming schemes, owners and realistic dates, in
 * both architectures. Every region has the same images under region-specific ids (as publishers
 * copy images to every region, each copy with its own id).
 */

/** One public image. */
export interface Image {
  readonly name: string;
  /** The release series the image is a build of (name without the build stamp). */
  readonly series: string;
  readonly ownerId: string;
  /** `amazon` for Amazon's images; null for the others. */
  readonly ownerAlias: string | null;
  readonly architecture: 'x86_64' | 'arm64';
  /** ISO timestamp with milliseconds, as EC2 gives it. */
  readonly creationDate: string;
  readonly deprecationTime: string | null;
  readonly description: string;
  readonly rootDeviceName: string;
  /** Volume type of the root snapshot mapping. */
  readonly rootVolumeType: 'gp2' | 'gp3';
  readonly rootVolumeSize: number;
  readonly bootMode: string | null;
  readonly imdsSupport: string | null;
  /** Instance-store mappings (`/dev/sdb` → `ephemeral0`), as Ubuntu images declare. */
  readonly ephemeral: readonly (readonly [device: string, virtualName: string])[];
}

export const CANONICAL = '099720109477';
export const DEBIAN = '136693071363';
export const AMAZON = '137112412989';

const ARCHES = [['amd64', 'x86_64'], ['arm64', 'arm64']] as const;

function addYears(iso: string, years: number): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}

/** Ubuntu server images: `ubuntu/images/<store>/ubuntu-<series>-<version>-<arch>-server-<serial>`. */
function ubuntu(store: 'hvm-ssd' | 'hvm-ssd-gp3', series: string, version: string, builds: readonly (readonly [serial: string, time: string])[]): Image[] {
  return builds.flatMap(([serial, time]) => ARCHES.map(([debArch, architecture]): Image => {
    const date = `${serial.slice(0, 4)}-${serial.slice(4, 6)}-${serial.slice(6, 8)}`;
    const created = `${date}T${time}.000Z`;
    return {
      name: `ubuntu/images/${store}/ubuntu-${series}-${version}-${debArch}-server-${serial}`,
      series: `ubuntu/images/${store}/ubuntu-${series}-${version}-${debArch}-server`,
      ownerId: CANONICAL,
      ownerAlias: null,
      architecture,
      creationDate: created,
      deprecationTime: addYears(created, 2),
      description: `Canonical, Ubuntu, ${version} LTS, ${debArch} ${series} image build on ${date}`,
      rootDeviceName: '/dev/sda1',
      rootVolumeType: store === 'hvm-ssd-gp3' ? 'gp3' : 'gp2',
      rootVolumeSize: 8,
      bootMode: architecture === 'arm64' ? 'uefi' : 'legacy-bios',
      imdsSupport: null,
      ephemeral: [['/dev/sdb', 'ephemeral0'], ['/dev/sdc', 'ephemeral1']],
    };
  }));
}

/** Debian cloud images: `debian-<major>-<arch>-<date>-<build>`. */
function debian(major: number, builds: readonly (readonly [build: string, created: string])[]): Image[] {
  return builds.flatMap(([build, created]) => ARCHES.map(([debArch, architecture]): Image => ({
    name: `debian-${major}-${debArch}-${build}`,
    series: `debian-${major}-${debArch}`,
    ownerId: DEBIAN,
    ownerAlias: null,
    architecture,
    creationDate: created,
    deprecationTime: addYears(created, 2),
    description: `Debian ${major} (${build})`,
    rootDeviceName: '/dev/xvda',
    rootVolumeType: 'gp2',
    rootVolumeSize: 8,
    bootMode: architecture === 'arm64' ? 'uefi' : 'uefi-preferred',
    imdsSupport: null,
    ephemeral: [],
  })));
}

/** Amazon Linux 2023: `al2023-ami-[minimal-]<version>-kernel-6.1-<arch>`. */
function al2023(builds: readonly (readonly [version: string, created: string])[]): Image[] {
  return builds.flatMap(([version, created]) => (['', 'minimal-'] as const).flatMap((flavour) => ARCHES.map(([, architecture]): Image => ({
    name: `al2023-ami-${flavour}${version}-kernel-6.1-${architecture}`,
    series: `al2023-ami-${flavour}kernel-6.1-${architecture}`,
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    architecture,
    creationDate: created,
    deprecationTime: addYears(created, 2),
    description: `Amazon Linux 2023 AMI ${version} ${architecture} ${flavour ? 'Minimal ' : ''}HVM kernel-6.1`,
    rootDeviceName: '/dev/xvda',
    rootVolumeType: 'gp3',
    rootVolumeSize: flavour ? 2 : 8,
    bootMode: 'uefi-preferred',
    imdsSupport: 'v2.0',
    ephemeral: [],
  }))));
}

/** Amazon Linux 2: `amzn2-ami-kernel-5.10-hvm-<version>-<arch>-gp2`. */
function amazonLinux2(builds: readonly (readonly [version: string, created: string])[]): Image[] {
  return builds.flatMap(([version, created]) => ARCHES.map(([, architecture]): Image => ({
    name: `amzn2-ami-kernel-5.10-hvm-${version}-${architecture}-gp2`,
    series: `amzn2-ami-kernel-5.10-hvm-${architecture}-gp2`,
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    architecture,
    creationDate: created,
    deprecationTime: '2026-06-30T00:00:00.000Z',
    description: `Amazon Linux 2 Kernel 5.10 AMI ${version} ${architecture} HVM gp2`,
    rootDeviceName: '/dev/xvda',
    rootVolumeType: 'gp2',
    rootVolumeSize: 8,
    bootMode: null,
    imdsSupport: null,
    ephemeral: [],
  })));
}

/** Every public image. */
export const IMAGES: readonly Image[] = [
  ...ubuntu('hvm-ssd', 'jammy', '22.04', [['20240207.1', '07:09:33'], ['20240411', '05:47:16'], ['20240701', '12:01:40']]),
  ...ubuntu('hvm-ssd-gp3', 'jammy', '22.04', [['20240801', '08:51:20'], ['20250112', '03:18:02']]),
  ...ubuntu('hvm-ssd-gp3', 'noble', '24.04', [['20240423', '13:55:10'], ['20241109', '06:12:44'], ['20250115', '09:40:27']]),
  ...debian(12, [['20240717-1811', '2024-07-17T16:21:53.000Z'], ['20250112-1993', '2025-01-12T22:04:38.000Z']]),
  ...debian(11, [['20240717-1811', '2024-07-17T16:05:12.000Z']]),
  ...al2023([['2023.5.20240708.0', '2024-07-08T20:31:29.000Z'], ['2023.6.20250115.0', '2025-01-15T23:37:51.000Z']]),
  ...amazonLinux2([['2.0.20250108.0', '2025-01-08T19:51:02.000Z']]),
];

/** A region's copy of an image: the image plus its id there. */
export interface RegionalImage extends Image {
  readonly id: string;
  readonly region: string;
  readonly rootSnapshotId: string;
}

/** The id an image has in `region` (stable: derived from region and name). */
export function imageIdIn(region: string, name: string): string {
  return `ami-${hashHex(`ami:${region}:${name}`, 17)}`;
}

/** All images as `region` has them. */
export function imagesIn(region: string): RegionalImage[] {
  return IMAGES.map((image) => ({
    ...image,
    id: imageIdIn(region, image.name),
    region,
    rootSnapshotId: `snap-${hashHex(`snap:${region}:${image.name}`, 17)}`,
  }));
}

/** The image with `id` in `region`, if any. */
export function findImage(region: string, id: string): RegionalImage | undefined {
  return imagesIn(region).find((i) => i.id === id);
}

/**
 * True when an image is deprecated at `now` and so hidden from lookups without
 * `include_deprecated`. The newest build of every series never is: publishers keep releasing
 * builds, and the mock's frozen catalog lets its newest one stand in for the current build (so
 * lookups keep working as the calendar moves on).
 */
export function isDeprecated(image: Image, now: Date = new Date()): boolean {
  if (!image.deprecationTime || new Date(image.deprecationTime) > now) return false;
  return IMAGES.some((other) => other.series === image.series && other.creationDate > image.creationDate);
}
