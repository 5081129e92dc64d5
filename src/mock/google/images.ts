import { CloudError } from '../framework/diagnostics';
import { DataSourceType } from '../framework/types';
import { computed, optional, optionalComputed } from '../schema/dsl';
import { list, map } from '../values/cty-type';
import { ObjectValue } from '../values/value';
import { COMPUTE_URL, hashHex, notFound, relativePath, str } from './common';
import { providerProject } from './provider-config';

/**
 * Public images, as Google publishes them: projects with image families, each family's images
 * named by date (`ubuntu-2204-jammy-v20241115`), older ones deprecated. A family resolves to its
 * newest image that is not deprecated, as Compute Engine does. Also `data "google_compute_image"`
 * (by family, name, or filter with most_recent) and resolving a template's `source_image`.
 */

export interface ImageFacts {
  readonly project: string;
  readonly name: string;
  readonly family: string;
  /** Creation date, `YYYY-MM-DD`. */
  readonly created: string;
  readonly deprecated?: 'DEPRECATED' | 'OBSOLETE';
  readonly diskSizeGb: number;
  readonly architecture: 'X86_64' | 'ARM64';
  readonly description: string;
  readonly license: string;
}

interface Series {
  readonly project: string;
  readonly family: string;
  /** The image name for a `YYYYMMDD` date. */
  readonly name: (date: string) => string;
  readonly architecture: 'X86_64' | 'ARM64';
  readonly diskSizeGb: number;
  readonly description: (date: string) => string;
  readonly license: string;
  /** Release dates, oldest first; all but the last two are deprecated. */
  readonly dates: readonly string[];
}

const UBUNTU_DATES = ['20240927', '20241004', '20241115'];
const DEBIAN_DATES = ['20241009', '20241112', '20241210'];
const dashed = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;

const SERIES: readonly Series[] = [
  ubuntu('ubuntu-2004-lts', (d) => `ubuntu-2004-focal-v${d}`, '20.04 LTS', 'focal', 'amd64', 'ubuntu-2004-lts'),
  ubuntu('ubuntu-2204-lts', (d) => `ubuntu-2204-jammy-v${d}`, '22.04 LTS', 'jammy', 'amd64', 'ubuntu-2204-lts'),
  ubuntu('ubuntu-2204-lts-arm64', (d) => `ubuntu-2204-jammy-arm64-v${d}`, '22.04 LTS', 'jammy', 'arm64', 'ubuntu-2204-lts'),
  ubuntu('ubuntu-2404-lts-amd64', (d) => `ubuntu-2404-noble-amd64-v${d}`, '24.04 LTS', 'noble', 'amd64', 'ubuntu-2404-lts'),
  ubuntu('ubuntu-2404-lts-arm64', (d) => `ubuntu-2404-noble-arm64-v${d}`, '24.04 LTS', 'noble', 'arm64', 'ubuntu-2404-lts'),
  debian('debian-11', 'bullseye', '11', 'amd64'),
  debian('debian-12', 'bookworm', '12', 'amd64'),
  debian('debian-12-arm64', 'bookworm', '12', 'arm64'),
  {
    project: 'rocky-linux-cloud', family: 'rocky-linux-9', name: (d) => `rocky-linux-9-v${d}`, architecture: 'X86_64', diskSizeGb: 20,
    description: (d) => `Rocky Linux, Rocky Linux, 9, x86_64 built on ${d}`, license: 'rocky-linux-9', dates: DEBIAN_DATES,
  },
  {
    project: 'cos-cloud', family: 'cos-stable', name: (d) => `cos-stable-117-18613-${Number(d.slice(4, 6))}-${Number(d.slice(6))}`,
    architecture: 'X86_64', diskSizeGb: 10, description: () => 'Google, Container-Optimized OS, 117 LTS, Kernel: ChromiumOS-6.1',
    license: 'cos-pcid', dates: DEBIAN_DATES,
  },
];

function ubuntu(family: string, name: (d: string) => string, version: string, codename: string, arch: 'amd64' | 'arm64', license: string): Series {
  return {
    project: 'ubuntu-os-cloud', family, name, architecture: arch === 'amd64' ? 'X86_64' : 'ARM64', diskSizeGb: 10,
    description: (d) => `Canonical, Ubuntu, ${version}, ${arch} ${codename} image built on ${dashed(d)}`, license, dates: UBUNTU_DATES,
  };
}

function debian(family: string, codename: string, version: string, arch: 'amd64' | 'arm64'): Series {
  return {
    project: 'debian-cloud', family, name: (d) => `debian-${version}-${codename}${arch === 'arm64' ? '-arm64' : ''}-v${d}`,
    architecture: arch === 'amd64' ? 'X86_64' : 'ARM64', diskSizeGb: 10,
    description: (d) => `Debian, Debian GNU/Linux, ${version} (${codename}), ${arch} built on ${d}`, license: `debian-${version}-${codename}`,
    dates: DEBIAN_DATES,
  };
}

/** Every public image the mock cloud has. */
export const IMAGES: readonly ImageFacts[] = SERIES.flatMap((s) => s.dates.map((d, i): ImageFacts => ({
  project: s.project,
  name: s.name(d),
  family: s.family,
  created: dashed(d),
  ...(i < s.dates.length - 2 ? { deprecated: 'DEPRECATED' as const } : {}),
  diskSizeGb: s.diskSizeGb,
  architecture: s.architecture,
  description: s.description(d),
  license: s.license,
})));

/** Projects publishing images, by name prefix (for image references without a project). */
const PUBLISHERS: readonly [string, string][] = [
  ['ubuntu-', 'ubuntu-os-cloud'], ['debian-', 'debian-cloud'], ['rocky-linux-', 'rocky-linux-cloud'], ['cos-', 'cos-cloud'],
];

export function imageId(image: ImageFacts): string {
  return `projects/${image.project}/global/images/${image.name}`;
}

export function imageSelfLink(image: ImageFacts): string {
  return `${COMPUTE_URL}${imageId(image)}`;
}

/** The newest non-deprecated image of a family, or undefined. */
export function familyImage(project: string, family: string): ImageFacts | undefined {
  return IMAGES.filter((i) => i.project === project && i.family === family && !i.deprecated)
    .sort((a, b) => b.created.localeCompare(a.created))[0];
}

export function namedImage(project: string, name: string): ImageFacts | undefined {
  return IMAGES.find((i) => i.project === project && i.name === name);
}

/**
 * Resolve a `source_image` as the provider does: a URL or path naming an image or a family
 * (`projects/p/global/images/family/f`), `global/images/...`, `family/f`, `project/name-or-family`,
 * or a bare image or family name (looked up in the resource's project, then in the publisher's).
 */
export function resolveImage(ref: string, project: string, action: string, path: (string | number)[]): ImageFacts {
  const rel = relativePath(ref);
  let m = /^projects\/([^/]+)\/global\/images\/family\/([^/]+)$/.exec(rel);
  if (m) return familyImage(m[1], m[2]) ?? fail(notFound(action, rel, path));
  m = /^projects\/([^/]+)\/global\/images\/([^/]+)$/.exec(rel);
  if (m) return namedImage(m[1], m[2]) ?? fail(notFound(action, rel, path));
  m = /^(?:global\/images\/)?family\/([^/]+)$/.exec(rel);
  if (m) return familyImage(project, m[1]) ?? fail(notFound(action, `projects/${project}/global/images/family/${m[1]}`, path));
  m = /^global\/images\/([^/]+)$/.exec(rel);
  if (m) return namedImage(project, m[1]) ?? fail(notFound(action, `projects/${project}/global/images/${m[1]}`, path));
  const parts = rel.split('/');
  const candidates: [string, string][] = parts.length === 2 ? [[parts[0], parts[1]]]
    : [[project, rel], ...PUBLISHERS.filter(([prefix]) => rel.startsWith(prefix)).map(([, p]): [string, string] => [p, rel])];
  for (const [p, n] of candidates) {
    const found = namedImage(p, n) ?? familyImage(p, n);
    if (found) return found;
  }
  throw new CloudError(`Error ${action}: error resolving image name '${ref}': Could not find image or family ${ref}`, { path });
}

function fail(e: Error): never {
  throw e;
}

/** Images matching a Compute API list filter (`name eq regex`, `family = "x"`, `status != DEPRECATED`...). */
export function filterImages(project: string, filter: string): ImageFacts[] {
  const clauses = parseFilter(filter);
  return IMAGES.filter((i) => i.project === project && clauses.every((c) => c(i)));
}

type Clause = (image: ImageFacts) => boolean;

function parseFilter(filter: string): Clause[] {
  const clause = /\(?\s*([a-zA-Z_.]+)\s*(eq|ne|!=|=|:)\s*("[^"]*"|[^\s)]+)\s*\)?/y;
  const clauses: Clause[] = [];
  let at = 0;
  const text = filter.trim();
  while (at < text.length) {
    const and = /\s*(AND\s+)?/y;
    and.lastIndex = at;
    at += and.exec(text)?.[0].length ?? 0;
    if (at >= text.length) break;
    clause.lastIndex = at;
    const m = clause.exec(text);
    if (!m) throw new CloudError(`error retrieving image information: googleapi: Error 400: Invalid value for field 'filter': '${filter}'. Invalid list filter expression., invalid`);
    at = clause.lastIndex;
    const [, field, op, raw] = m;
    const value = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    const get = (i: ImageFacts): string => ({
      name: i.name, family: i.family, status: i.deprecated ?? 'READY', architecture: i.architecture, description: i.description,
    } as Record<string, string>)[field] ?? '';
    if (op === 'eq' || op === 'ne') {
      const re = new RegExp(`^(?:${value})$`);
      clauses.push((i) => re.test(get(i)) === (op === 'eq'));
    } else if (op === ':') {
      clauses.push((i) => get(i).includes(value.replace(/\*$/, '')));
    } else {
      const re = new RegExp(`^${value.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      clauses.push((i) => re.test(get(i)) === (op === '='));
    }
  }
  return clauses;
}

/** What the data source (and templates) report about an image. */
export function imageAttributes(image: ImageFacts): ObjectValue {
  return {
    name: image.name,
    family: image.family,
    project: image.project,
    id: imageId(image),
    self_link: imageSelfLink(image),
    image_id: String(BigInt(`0x${hashHex(image.name, 15)}`) % 9_000_000_000_000_000_000n + 1_000_000_000_000_000_000n),
    disk_size_gb: image.diskSizeGb,
    archive_size_bytes: image.diskSizeGb * 60_000_000 + (parseInt(hashHex(image.name, 6), 16) % 1_000_000) * 100,
    creation_timestamp: `${image.created}T12:00:00.000-08:00`,
    description: image.description,
    status: 'READY',
    labels: {},
    label_fingerprint: '42WmSpB8rSM=',
    licenses: [`${COMPUTE_URL}projects/${image.project}/global/licenses/${image.license}`],
    source_disk: '',
    source_disk_id: '',
    source_image_id: '',
    source_disk_encryption_key_sha256: '',
    image_encryption_key_sha256: '',
  };
}

export const computeImage: DataSourceType = {
  name: 'google_compute_image',
  schema: {
    attributes: {
      name: optionalComputed('string'),
      family: optionalComputed('string'),
      filter: optional('string'),
      most_recent: optional('bool'),
      project: optionalComputed('string'),
      id: optionalComputed('string'),
      self_link: computed('string'),
      image_id: computed('string'),
      disk_size_gb: computed('number'),
      archive_size_bytes: computed('number'),
      creation_timestamp: computed('string'),
      description: computed('string'),
      status: computed('string'),
      labels: computed(map('string')),
      label_fingerprint: computed('string'),
      licenses: computed(list('string')),
      source_disk: computed('string'),
      source_disk_id: computed('string'),
      source_image_id: computed('string'),
      source_disk_encryption_key_sha256: computed('string'),
      image_encryption_key_sha256: computed('string'),
    },
  },

  validate(ctx) {
    const set = ['name', 'family', 'filter'].filter((k) => ctx.config[k] !== null);
    if (set.length !== 1) {
      ctx.error('Invalid combination of arguments', { detail: `"${set[1] ?? 'name'}": one of \`family,filter,name\` must be specified` });
    }
  },

  read(ctx) {
    const c = ctx.config;
    const project = str(c.project) ?? providerProject(ctx.provider.config);
    if (!project) throw new CloudError('error retrieving image information: project: required field is not set', { path: ['project'] });
    const missing = (what: string) => new CloudError(
      `error retrieving image information: googleapi: Error 404: The resource 'projects/${project}/global/images/${what}' was not found, notFound`);
    let image: ImageFacts | undefined;
    if (str(c.family)) {
      image = familyImage(project, str(c.family) as string);
      if (!image) throw missing(`family/${str(c.family)}`);
    } else if (str(c.name)) {
      image = namedImage(project, str(c.name) as string);
      if (!image) throw missing(str(c.name) as string);
    } else {
      const found = filterImages(project, str(c.filter) ?? '').sort((a, b) => b.created.localeCompare(a.created));
      if (found.length === 0 || (found.length > 1 && c.most_recent !== true)) {
        throw new CloudError(`your filter has returned ${found.length} image(s). Please refine your filter${found.length > 1 ? ' or set most_recent' : ''} to return exactly one image`, { path: ['filter'] });
      }
      image = found[0];
    }
    return imageAttributes(image);
  },
};
