/**
 * Image resolution: from a blueprint's `image:` to a lookup that can only find the intended
 * publisher's image. Pure: no cdktf, no network.
 *
 * Why owners are mandatory: AMI names are not unique. Anyone can publish a public AMI under any
 * name, so a "most recent AMI named ubuntu/images/..." lookup without an owner can return an
 * attacker's image (AMI name squatting). Butter therefore always sends an owner, filling it in
 * for the well-known publishers below and otherwise asking for `image.owner`. Google images live
 * in projects, so the same goes for the project.
 */
import { ButterError } from '../errors';
import { Architecture, ImageSpec } from '../blueprint/types';

/** A publisher whose images Butter finds without `image.owner`. */
export interface WellKnownPublisher {
  /** Image names (or Google families) starting with this belong to the publisher. */
  readonly prefix: string;
  /** AWS: owner account id or alias. Google: the publishing project. */
  readonly owner: string;
  /** Who that is, for messages and reviewers. */
  readonly publisher: string;
}

/**
 * AWS publishers, matched by AMI name prefix. Only prefixes the publisher's own naming scheme
 * uses, so a look-alike name (`ubuntu-22.04-*`) still needs an explicit owner.
 */
export const AWS_WELL_KNOWN_PUBLISHERS: readonly WellKnownPublisher[] = [
  { prefix: 'ubuntu/images/', owner: '099720109477', publisher: 'Canonical' },
  { prefix: 'al2023-ami-', owner: 'amazon', publisher: 'Amazon (Amazon Linux 2023)' },
  { prefix: 'amzn2-ami-', owner: 'amazon', publisher: 'Amazon (Amazon Linux 2)' },
  { prefix: 'debian-', owner: '136693071363', publisher: 'Debian' },
];

/** Google publishers, matched by family or image name prefix; the most specific prefix first. */
export const GOOGLE_WELL_KNOWN_PROJECTS: readonly WellKnownPublisher[] = [
  { prefix: 'ubuntu-pro-', owner: 'ubuntu-os-pro-cloud', publisher: 'Canonical (Ubuntu Pro)' },
  { prefix: 'ubuntu-accelerator-', owner: 'ubuntu-os-accelerator-images', publisher: 'Canonical (accelerator images)' },
  { prefix: 'ubuntu-', owner: 'ubuntu-os-cloud', publisher: 'Canonical' },
  { prefix: 'debian-', owner: 'debian-cloud', publisher: 'Debian' },
  { prefix: 'rocky-linux-', owner: 'rocky-linux-cloud', publisher: 'Rocky Enterprise Software Foundation' },
  { prefix: 'cos-', owner: 'cos-cloud', publisher: 'Google (Container-Optimized OS)' },
];

/** Options of the resolvers. */
export interface ImageResolveOptions {
  /**
   * Architecture the blueprint states (`instance.architecture`). Must agree with the one the
   * image name says, if it says one. @default - from the image name, else x86_64
   */
  readonly architecture?: Architecture;
  /** Key path of the image spec in the blueprint, for errors (`image.aws`). @default 'image' */
  readonly key?: string;
}

/** How to look up an AMI (`data "aws_ami"`): never without an owner. */
export interface AwsImageLookup {
  /** AMI name pattern, wildcards allowed (the `name` filter). */
  readonly namePattern: string;
  /** Owners to search (`owners`). Never empty. */
  readonly owners: string[];
  /** Architecture to filter on (`architecture` filter), so a pattern can't match both kinds. */
  readonly architecture: Architecture;
}

/** Resolve an AWS image spec. Throws `IMAGE_NAME_REQUIRED`, `IMAGE_OWNER_REQUIRED`, `IMAGE_OWNER_INVALID`. */
export function resolveAwsImage(spec: ImageSpec, opts: ImageResolveOptions = {}): AwsImageLookup {
  const key = opts.key ?? 'image';
  const name = spec.name;
  if (!name) {
    throw new ButterError('IMAGE_NAME_REQUIRED', 'an AWS image needs a name (AMI name pattern)', {
      key: `${key}.name`,
      hint: "set image.name, e.g. 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*'",
    });
  }
  const architecture = architectureOf(name, opts, key);
  if (spec.owner !== undefined) return { namePattern: name, owners: [checkAwsOwner(spec.owner, key)], architecture };

  const known = AWS_WELL_KNOWN_PUBLISHERS.find((p) => name.startsWith(p.prefix));
  if (!known) {
    throw new ButterError('IMAGE_OWNER_REQUIRED',
      `image ${name} has no owner, and Butter knows no publisher for that name. AMI names are not unique: ` +
      'anyone can publish a public AMI under any name, so a lookup by name alone could boot a stranger\'s image ' +
      '(AMI name squatting)', {
        key: `${key}.owner`,
        hint: "set image.owner to the publisher's 12-digit AWS account id (or 'self' for your own AMIs, " +
          "'amazon' for Amazon's). Names Butter resolves itself: " +
          AWS_WELL_KNOWN_PUBLISHERS.map((p) => `${p.prefix}*`).join(', '),
      });
  }
  return { namePattern: name, owners: [known.owner], architecture };
}

/** How to look up a Google image (`data "google_compute_image"`): always in a named project. */
export interface GoogleImageLookup {
  /** Image family (preferred: always its newest image). Set when the spec has a family. */
  readonly family?: string;
  /** Image name, when the spec has no family. */
  readonly name?: string;
  /** Project publishing the image. */
  readonly project: string;
  /** The image's architecture (from its family or name, else the stated one, else x86_64). */
  readonly architecture: Architecture;
}

/** Resolve a Google image spec. Throws `IMAGE_NAME_REQUIRED`, `IMAGE_PROJECT_REQUIRED`. */
export function resolveGoogleImage(spec: ImageSpec, opts: ImageResolveOptions = {}): GoogleImageLookup {
  const key = opts.key ?? 'image';
  const id = spec.family ?? spec.name;
  if (!id) {
    throw new ButterError('IMAGE_NAME_REQUIRED', 'a Google image needs a family or a name', {
      key,
      hint: "set image.family (e.g. 'ubuntu-2404-lts-amd64') or image.name",
    });
  }
  const architecture = architectureOf(id, opts, key);
  const which = spec.family !== undefined ? { family: spec.family } : { name: id };
  if (spec.owner !== undefined) return { ...which, project: spec.owner, architecture };

  const known = GOOGLE_WELL_KNOWN_PROJECTS.find((p) => id.startsWith(p.prefix));
  if (!known) {
    throw new ButterError('IMAGE_PROJECT_REQUIRED',
      `image ${id} has no project, and Butter knows no publisher for that name. Google images are looked up ` +
      'in a project; guessing one could pick up an image someone else published under that name', {
        key: `${key}.owner`,
        hint: "set image.owner to the project publishing the image (your own project for your images). Names " +
          'Butter resolves itself: ' + GOOGLE_WELL_KNOWN_PROJECTS.map((p) => `${p.prefix}*`).join(', '),
      });
  }
  return { ...which, project: known.owner, architecture };
}

/**
 * The architecture an image name states: `arm64`/`aarch64` → arm64, `amd64`/`x86_64`/`x86-64`
 * → x86_64, as whole words (so `farm64x` says nothing). undefined when it states none, or both.
 */
export function imageArchitecture(name: string): Architecture | undefined {
  const lower = name.toLowerCase();
  const says = (word: string) => new RegExp(`(^|[^a-z0-9])${word}([^a-z0-9]|$)`).test(lower);
  const arm = says('arm64') || says('aarch64');
  const x86 = says('amd64') || says('x86_64') || says('x86-64');
  if (arm === x86) return undefined;
  return arm ? 'arm64' : 'x86_64';
}

/** Architecture from the name, checked against the stated one; x86_64 when neither says. */
function architectureOf(name: string, opts: ImageResolveOptions, key: string): Architecture {
  const fromName = imageArchitecture(name);
  if (fromName && opts.architecture && fromName !== opts.architecture) {
    throw new ButterError('IMAGE_ARCHITECTURE_MISMATCH',
      `image ${name} is ${fromName} but instance.architecture is ${opts.architecture}`, {
        key,
        hint: `use a ${opts.architecture} image, or set instance.architecture to ${fromName} (or remove it)`,
      });
  }
  return fromName ?? opts.architecture ?? 'x86_64';
}

/**
 * AWS accepts account ids and a few aliases as owners. Anything else would make the lookup
 * fail at plan time in Terraform; failing here says why.
 */
function checkAwsOwner(owner: string, key: string): string {
  if (/^\d{12}$/.test(owner) || ['self', 'amazon', 'aws-marketplace', 'aws-backup-vault'].includes(owner)) return owner;
  throw new ButterError('IMAGE_OWNER_INVALID', `image.owner ${owner} is not an AWS account id or owner alias`, {
    key: `${key}.owner`,
    hint: "use the publisher's 12-digit account id, or 'self', 'amazon', 'aws-marketplace'",
  });
}
