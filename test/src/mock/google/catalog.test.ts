import { GoogleHarness } from './helpers';

/** Zones, images and the provider block: the read-only side of the simulated Google Cloud. */
describe('simulated Google Cloud catalog', () => {
  let g: GoogleHarness;
  beforeEach(async () => {
    g = new GoogleHarness();
    await g.configure();
  });
  afterEach(() => g.cleanup());

  test.each([
    ['us-central1', ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f']],
    ['us-east1', ['us-east1-b', 'us-east1-c', 'us-east1-d']],
    ['europe-west1', ['europe-west1-b', 'europe-west1-c', 'europe-west1-d']],
    ['europe-west4', ['europe-west4-a', 'europe-west4-b', 'europe-west4-c']],
    ['asia-east1', ['asia-east1-a', 'asia-east1-b', 'asia-east1-c']],
  ])('zones of %s', async (region, names) => {
    expect(await g.data('google_compute_zones', { region })).toEqual({
      state: { region, names, project: 'test-project', status: null, id: `projects/test-project/regions/${region}` },
      errors: [],
    });
  });

  test('zones: the provider\'s region by default; none for an unknown region or status DOWN', async () => {
    expect((await g.data('google_compute_zones', {})).state?.names).toHaveLength(4);
    expect((await g.data('google_compute_zones', { region: 'mars-central1' })).state?.names).toEqual([]);
    expect((await g.data('google_compute_zones', { status: 'DOWN' })).state?.names).toEqual([]);
  });

  test('an image family resolves to its newest image that is not deprecated', async () => {
    const { state } = await g.data('google_compute_image', { project: 'ubuntu-os-cloud', family: 'ubuntu-2204-lts' });
    expect(state).toMatchObject({
      name: 'ubuntu-2204-jammy-v20241115',
      family: 'ubuntu-2204-lts',
      disk_size_gb: 10,
      status: 'READY',
      self_link: 'https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20241115',
      id: 'projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20241115',
      licenses: ['https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/licenses/ubuntu-2204-lts'],
    });
    expect(state?.image_id).toMatch(/^\d{19}$/);
    expect((await g.data('google_compute_image', { project: 'ubuntu-os-cloud', family: 'ubuntu-2404-lts-amd64' })).state?.name).toBe('ubuntu-2404-noble-amd64-v20241115');
    expect((await g.data('google_compute_image', { project: 'debian-cloud', family: 'debian-12' })).state?.name).toBe('debian-12-bookworm-v20241210');
    expect((await g.data('google_compute_image', { project: 'debian-cloud', family: 'debian-11' })).state?.name).toBe('debian-11-bullseye-v20241210');
  });

  test('an image by name, deprecated ones included; by filter with most_recent', async () => {
    expect((await g.data('google_compute_image', { project: 'ubuntu-os-cloud', name: 'ubuntu-2204-jammy-v20240927' })).state?.family).toBe('ubuntu-2204-lts');
    // Butter's pattern lookup: `name eq <regex>` and most_recent.
    const newest = await g.data('google_compute_image', { project: 'ubuntu-os-cloud', filter: 'name eq ubuntu-2204-jammy-v2024.*', most_recent: true });
    expect(newest.state?.name).toBe('ubuntu-2204-jammy-v20241115');
    const ambiguous = await g.data('google_compute_image', { project: 'ubuntu-os-cloud', filter: 'name eq ubuntu-2204-jammy-v2024.*' });
    expect(ambiguous.errors).toEqual(['your filter has returned 3 image(s). Please refine your filter or set most_recent to return exactly one image']);
    const exact = await g.data('google_compute_image', { project: 'debian-cloud', filter: 'family = "debian-12-arm64" AND status != DEPRECATED', most_recent: true });
    expect(exact.state?.name).toBe('debian-12-bookworm-arm64-v20241210');
    expect((await g.data('google_compute_image', { project: 'debian-cloud', filter: 'name eq nothing.*' })).errors[0]).toContain('returned 0 image(s)');
  });

  test('an image lookup names exactly one of family, name, filter', async () => {
    const response = await g.h.service.ValidateDataResourceConfig({
      type_name: 'google_compute_image', config: g.h.dv('google_compute_image', { family: 'debian-12', name: 'x' }, 'data'),
    });
    expect((response.diagnostics as { summary: string }[]).map((d) => d.summary)).toEqual(['Invalid combination of arguments']);
  });

  test('the provider block: project and region from the environment, a region from the zone, unknown regions warned about', async () => {
    const saved = { ...process.env };
    try {
      const bare = new GoogleHarness();
      process.env.GOOGLE_PROJECT = 'env-project';
      await bare.configure({ zone: 'europe-west4-b' });
      const network = await bare.must('google_compute_network', { name: 'n', auto_create_subnetworks: false });
      expect(network).toMatchObject({ project: 'env-project', id: 'projects/env-project/global/networks/n' });
      const subnet = await bare.must('google_compute_subnetwork', { name: 's', network: network.id, ip_cidr_range: '10.0.0.0/24' });
      expect(subnet.region).toBe('europe-west4');
      bare.cleanup();

      delete process.env.GOOGLE_PROJECT;
      const none = new GoogleHarness();
      expect(await none.configure({ region: 'moon-base1', default_labels: { team: 'core' }, credentials: '{}' })).toEqual(['Unknown region "moon-base1"']);
      expect((await none.create('google_compute_network', { name: 'n' })).errors).toEqual(['Error creating Network: googleapi: Error 400: project: required field is not set, required']);
      none.cleanup();
    } finally {
      process.env = saved;
    }
  });

  test('labels: default_labels merge into terraform_labels; effective_labels add the attribution label', async () => {
    const labelled = new GoogleHarness();
    await labelled.configure({ project: 'p-labels', region: 'us-central1', default_labels: { team: 'core' } });
    const address = await labelled.must('google_compute_address', { name: 'ip', labels: { app: 'web' } });
    expect(address).toMatchObject({
      labels: { app: 'web' },
      terraform_labels: { team: 'core', app: 'web' },
      effective_labels: { team: 'core', app: 'web', 'goog-terraform-provisioned': 'true' },
    });
    const relabelled = await labelled.update('google_compute_address', address, { ...address, labels: { app: 'api' } });
    expect(relabelled.errors).toEqual([]);
    expect(relabelled.state).toMatchObject({ id: address.id, address: address.address, effective_labels: { team: 'core', app: 'api', 'goog-terraform-provisioned': 'true' } });
    expect(relabelled.state?.label_fingerprint).not.toEqual(address.label_fingerprint);
    labelled.cleanup();
  });
});
