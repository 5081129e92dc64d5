import { imageArchitecture, resolveAwsImage, resolveGoogleImage } from '../../../src/planning/images';
import { butterErrorOf as caught } from '../../helpers/errors';

describe('resolveAwsImage', () => {
  test.each([
    ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*', '099720109477', 'x86_64'],
    ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*', '099720109477', 'arm64'],
    ['al2023-ami-2023.*-kernel-6.1-arm64', 'amazon', 'arm64'],
    ['al2023-ami-2023.*-kernel-6.1-x86_64', 'amazon', 'x86_64'],
    ['amzn2-ami-hvm-*-x86_64-gp2', 'amazon', 'x86_64'],
    ['debian-12-amd64-*', '136693071363', 'x86_64'],
  ])('%s → owner %s, %s', (name, owner, architecture) => {
    expect(resolveAwsImage({ name })).toEqual({ namePattern: name, owners: [owner], architecture });
  });

  test('unknown publisher without owner: IMAGE_OWNER_REQUIRED explaining squatting', () => {
    const e = caught(() => resolveAwsImage({ name: 'my-app-*' }));
    expect(e.code).toBe('IMAGE_OWNER_REQUIRED');
    expect(e.key).toBe('image.owner');
    expect(e.problem).toMatch(/squatting/);
    expect(e.hint).toContain('image.owner');
  });

  test('look-alike names are not trusted', () => {
    // Canonical publishes under ubuntu/images/...; a bare "ubuntu-*" could be anyone's.
    expect(caught(() => resolveAwsImage({ name: 'ubuntu-noble-24.04-*' })).code).toBe('IMAGE_OWNER_REQUIRED');
    expect(caught(() => resolveAwsImage({ name: '*ubuntu/images/*' })).code).toBe('IMAGE_OWNER_REQUIRED');
  });

  test('an explicit owner is used as given, even for well-known names', () => {
    expect(resolveAwsImage({ name: 'my-app-*', owner: '123456789012' }).owners).toEqual(['123456789012']);
    expect(resolveAwsImage({ name: 'my-app-*', owner: 'self' }).owners).toEqual(['self']);
    expect(resolveAwsImage({ name: 'ubuntu/images/*', owner: '111122223333' }).owners).toEqual(['111122223333']);
  });

  test('owners that are not account ids or aliases are rejected', () => {
    expect(caught(() => resolveAwsImage({ name: 'x', owner: 'canonical' })).code).toBe('IMAGE_OWNER_INVALID');
    expect(caught(() => resolveAwsImage({ name: 'x', owner: '12345' })).code).toBe('IMAGE_OWNER_INVALID');
  });

  test('a name is required', () => {
    expect(caught(() => resolveAwsImage({ owner: 'amazon' })).code).toBe('IMAGE_NAME_REQUIRED');
  });

  test('architecture: stated one is used when the name says none; a contradiction is an error', () => {
    expect(resolveAwsImage({ name: 'my-app-*', owner: 'self' }, { architecture: 'arm64' }).architecture).toBe('arm64');
    expect(resolveAwsImage({ name: 'my-app-*', owner: 'self' }).architecture).toBe('x86_64');
    const e = caught(() => resolveAwsImage({ name: 'al2023-ami-2023.*-arm64' }, { architecture: 'x86_64' }));
    expect(e.code).toBe('IMAGE_ARCHITECTURE_MISMATCH');
  });

  test('error keys follow the given key', () => {
    expect(caught(() => resolveAwsImage({ name: 'x' }, { key: 'image.aws' })).key).toBe('image.aws.owner');
  });
});

describe('resolveGoogleImage', () => {
  test.each([
    ['ubuntu-2404-lts-amd64', 'ubuntu-os-cloud'],
    ['ubuntu-pro-2204-lts', 'ubuntu-os-pro-cloud'],
    ['debian-12', 'debian-cloud'],
    ['rocky-linux-9', 'rocky-linux-cloud'],
    ['cos-stable', 'cos-cloud'],
  ])('family %s → project %s', (family, project) => {
    expect(resolveGoogleImage({ family })).toMatchObject({ family, project });
  });

  test('name when there is no family; family preferred when both', () => {
    expect(resolveGoogleImage({ name: 'debian-12-bookworm-v20250101' })).toEqual({
      name: 'debian-12-bookworm-v20250101',
      project: 'debian-cloud',
      architecture: 'x86_64',
    });
    const both = resolveGoogleImage({ family: 'ubuntu-2204-lts-arm64', name: 'ignored' });
    expect(both).toEqual({ family: 'ubuntu-2204-lts-arm64', project: 'ubuntu-os-cloud', architecture: 'arm64' });
  });

  test('unknown publisher: IMAGE_PROJECT_REQUIRED; owner names the project', () => {
    const e = caught(() => resolveGoogleImage({ family: 'my-golden-image' }));
    expect(e.code).toBe('IMAGE_PROJECT_REQUIRED');
    expect(e.key).toBe('image.owner');
    expect(e.hint).toContain('image.owner');
    expect(resolveGoogleImage({ family: 'my-golden-image', owner: 'my-project' }).project).toBe('my-project');
  });

  test('a family or name is required', () => {
    expect(caught(() => resolveGoogleImage({ owner: 'debian-cloud' })).code).toBe('IMAGE_NAME_REQUIRED');
  });
});

describe('imageArchitecture', () => {
  test.each([
    ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*', 'arm64'],
    ['al2023-ami-2023.*-kernel-6.1-arm64', 'arm64'],
    ['rocky-linux-9-aarch64', 'arm64'],
    ['ubuntu-2404-lts-amd64', 'x86_64'],
    ['amzn2-ami-hvm-*-x86_64-gp2', 'x86_64'],
    ['Some-X86-64-Image', 'x86_64'],
    ['debian-12', undefined],
    ['farm64x-app', undefined],
    ['multiarch-amd64-arm64', undefined],
    ['', undefined],
  ])('%s → %s', (name, arch) => {
    expect(imageArchitecture(name)).toBe(arch);
  });
});
