/**
 * Bad blueprints and the exact error each one gets. These messages are the product: a change
 * here should be a deliberate rewording, never an accident.
 */
import * as path from 'path';
import { clearBlueprintCache, loadNetworkBlueprint, loadServiceBlueprint, parseServiceBlueprint } from '../../../src/blueprint/load';
import { butterErrorOf as catchError } from '../../helpers/errors';
import { ButterError } from '../../../src/errors';

const bad = 'test/fixtures/blueprints/bad';
const here = path.resolve(bad);

interface Case {
  readonly fixture: string;
  readonly kind?: 'network';
  readonly code: string;
  readonly key?: string;
  readonly problem: string;
  readonly hint: string;
}

const YAML_HINT = (line: number) =>
  `fix the YAML around line ${line}: indent with spaces (not tabs), put a space after \`:\`, and quote values containing \`: \` or \` #\``;
const NETWORK_SECTION = "network-wide settings go in the blueprint given to the Network; a Service blueprint's `network` section only takes subnetwork_max_instance_count";

const cases: Case[] = [
  // ---- unknown keys
  { fixture: 'unknown-key-typo.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instance.memroy', problem: 'unknown key `memroy`', hint: 'did you mean `memory`?' },
  { fixture: 'unknown-section.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instances', problem: 'unknown key `instances`', hint: 'did you mean `instance`?' },
  { fixture: 'unknown-key-no-match.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'placement.region', problem: 'unknown key `region`', hint: '`placement` accepts: availability_zones' },
  { fixture: 'disk-size-typo.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instance.disks[0].sise', problem: 'unknown key `sise`', hint: 'did you mean `size`?' },
  { fixture: 'misplaced-key.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instance.availability_zones', problem: '`availability_zones` does not belong in `instance`', hint: 'move it: it is `placement.availability_zones`' },
  { fixture: 'instance-type-unknown-cloud.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instance.type.azure', problem: 'unknown key `azure`', hint: '`instance.type` accepts: aws, google' },
  { fixture: 'network-key-in-service.yml', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'network.nat', problem: '`network.nat` is a Network blueprint setting, not a Service one', hint: NETWORK_SECTION },
  {
    fixture: 'service-key-in-network.yml', kind: 'network', code: 'BLUEPRINT_UNKNOWN_KEY', key: 'instance',
    problem: '`instance` is a Service blueprint setting, not a Network one',
    hint: 'this file is read as a Network blueprint, which only has network.legacy_network_size_bits, network.allowed_private_cidr and network.nat; give service settings to a Service',
  },
  // ---- missing keys
  { fixture: 'missing-disk-size.yml', code: 'BLUEPRINT_MISSING_KEY', key: 'instance.disks[1].size', problem: 'missing required key `size`', hint: 'add `size: 8GB`' },
  { fixture: 'google-image-no-family.yml', code: 'BLUEPRINT_MISSING_KEY', key: 'image.google.family', problem: 'a Google image needs a `family` or a `name`', hint: 'add `family: ubuntu-2204-lts` (or `name:` for one exact image)' },
  // ---- sizes
  {
    fixture: 'bare-memory-number.yml', code: 'BLUEPRINT_INVALID_SIZE', key: 'instance.memory', problem: '4 has no unit',
    hint: 'add a unit, e.g. `4GB` (or `4MiB`); Butter does not guess whether a bare number means GiB or MiB',
  },
  { fixture: 'bad-size-unit.yml', code: 'BLUEPRINT_INVALID_SIZE', key: 'instance.memory', problem: '"GBs" is not a size unit', hint: 'use MB/MiB, GB/GiB or TB/TiB (all binary: 1GB = 1024MiB)' },
  { fixture: 'fractional-disk.yml', code: 'BLUEPRINT_INVALID_SIZE', key: 'instance.disks[0].size', problem: 'disk sizes must be whole GiB, got "8.5GB" (8704 MiB)', hint: 'use `9GB`' },
  // ---- wrong values
  { fixture: 'zones-out-of-range.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'placement.availability_zones', problem: 'must be at most 6, got the number 7', hint: 'write it like `availability_zones: 3`' },
  { fixture: 'cpus-not-a-number.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'instance.cpus', problem: 'expected a number, got the text "two"', hint: 'write it like `cpus: 2`' },
  { fixture: 'float-count.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'network.subnetwork_max_instance_count', problem: 'expected a whole number, got the number 25.5', hint: 'write it like `subnetwork_max_instance_count: 256`' },
  { fixture: 'gpu-text.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'instance.gpu', problem: 'expected true, false or a number of GPUs, got the text "one"', hint: 'write it like `gpu: false`' },
  { fixture: 'yes-boolean.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'instance.public_ip', problem: 'expected true or false, got the text "yes"', hint: 'write `true` or `false` (`yes` is text in YAML 1.2, not a boolean)' },
  { fixture: 'empty-section.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'placement', problem: 'has no value; expected a mapping (`key: value` lines)', hint: 'put its keys under it, indented, or delete the empty `placement:` line' },
  { fixture: 'nat-typo.yml', kind: 'network', code: 'BLUEPRINT_INVALID_VALUE', key: 'network.nat', problem: 'the text "per_zone" is not one of: per-zone, single, none', hint: 'did you mean `per-zone`?' },
  { fixture: 'cidr-host-bits.yml', kind: 'network', code: 'BLUEPRINT_INVALID_VALUE', key: 'network.allowed_private_cidr', problem: '"10.1.2.3/16" has host bits set', hint: 'did you mean `10.1.0.0/16`?' },
  { fixture: 'cidr-public.yml', kind: 'network', code: 'BLUEPRINT_INVALID_VALUE', key: 'network.allowed_private_cidr', problem: '"8.8.0.0/16" is not a private range', hint: 'use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)' },
  { fixture: 'network-too-big.yml', kind: 'network', code: 'BLUEPRINT_INVALID_VALUE', key: 'network.legacy_network_size_bits', problem: 'a 16-bit network (/16) does not fit in 192.168.0.0/20', hint: 'use at most 12, or widen network.allowed_private_cidr' },
  { fixture: 'required-with-default.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'initialization[0].vars.Port.default', problem: 'a required variable cannot have a default', hint: 'remove `required: true` or remove `default:`' },
  {
    fixture: 'bad-var-name.yml', code: 'BLUEPRINT_INVALID_VALUE', key: 'initialization[0].vars.private-ips', problem: '`private-ips` is not a valid variable name',
    hint: 'variable names are letters, digits and underscores, not starting with a digit (they are template names)',
  },
  // ---- startup scripts
  {
    fixture: 'script-typo.yml', code: 'BLUEPRINT_SCRIPT_NOT_FOUND', key: 'initialization[0].path',
    problem: `startup script "setpu.sh" does not exist (looked for ${here}/setpu.sh)`, hint: 'did you mean "setup.sh"?',
  },
  {
    fixture: 'script-missing.yml', code: 'BLUEPRINT_SCRIPT_NOT_FOUND', key: 'initialization[1].path',
    problem: `startup script "scripts/missing-template.yml" does not exist (looked for ${here}/scripts/missing-template.yml)`,
    hint: `paths are relative to the blueprint's folder (${here}); create the file or fix the path`,
  },
  // ---- the file itself
  { fixture: 'yaml-syntax.yml', code: 'BLUEPRINT_YAML', problem: 'YAML syntax error at line 3, column 8: bad indentation of a mapping entry', hint: YAML_HINT(3) },
  { fixture: 'duplicate-key.yml', code: 'BLUEPRINT_YAML', problem: 'YAML syntax error at line 3, column 3: duplicated mapping key', hint: YAML_HINT(3) },
  { fixture: 'empty.yml', code: 'BLUEPRINT_EMPTY', problem: 'the blueprint is empty', hint: 'add its sections (`instance:`, `image:`...); see example-blueprints/aws-nginx/blueprint.yml' },
  {
    fixture: 'top-level-list.yml', code: 'BLUEPRINT_NOT_MAPPING', problem: 'the top level must be a mapping of sections, got a list',
    hint: 'start lines at the left margin with section names such as `instance:`; see example-blueprints/aws-nginx/blueprint.yml',
  },
  { fixture: 'no-such-file.yml', code: 'BLUEPRINT_NOT_FOUND', problem: 'blueprint file not found', hint: `check the path (relative paths are resolved from ${process.cwd()})` },
];

beforeEach(() => clearBlueprintCache());

describe.each(cases)('$fixture', (c) => {
  const file = `${bad}/${c.fixture}`;
  const error = () => catchError(() => (c.kind === 'network' ? loadNetworkBlueprint : loadServiceBlueprint)(file));

  test(`${c.code} at ${c.key ?? '(file)'}`, () => {
    const e = error();
    expect({ code: e.code, file: e.file, key: e.key, problem: e.problem, hint: e.hint }).toEqual({
      code: c.code,
      file,
      key: c.key,
      problem: c.problem,
      hint: c.hint,
    });
  });

  test('message names the place, the problem, the code and the fix, in plain words', () => {
    const { message, line } = error();
    // A key's line is known when the blueprint came from a file.
    if (c.key) expect(line).toEqual(expect.any(Number));
    expect(message.startsWith(c.key ? `${file}:${line}: ${c.key}: ` : `${file}: `)).toBe(true);
    expect(message).toContain(c.problem);
    expect(message).toContain(`[${c.code}]`);
    expect(message).toContain(c.hint);
    expectPlainWords(message);
  });

  test('the same file always gives the same error', () => {
    const first = error().message;
    clearBlueprintCache();
    expect(error().message).toBe(first);
  });
});

test('at least 15 bad blueprints are covered', () => {
  expect(cases.length).toBeGreaterThanOrEqual(15);
});

test('a folder without blueprint.yml', () => {
  const e = catchError(() => loadServiceBlueprint('test/fixtures/blueprints'));
  expect(e).toMatchObject({ code: 'BLUEPRINT_NOT_FOUND', file: 'test/fixtures/blueprints', problem: 'is a folder without a blueprint.yml' });
});

/** The one problem of `e` at `key` (itself when it reports one problem). */
function issueAt(e: ButterError, key: string): ButterError | undefined {
  return e.issues.length ? e.issues.find((i) => i.key === key) : e;
}

test('a network blueprint loaded as a service blueprint says so', () => {
  const e = catchError(() => loadServiceBlueprint('example-blueprints/network/blueprint.yml'));
  expect(issueAt(e, 'network.legacy_network_size_bits')).toMatchObject({
    code: 'BLUEPRINT_UNKNOWN_KEY',
    key: 'network.legacy_network_size_bits',
    problem: '`network.legacy_network_size_bits` is a Network blueprint setting, not a Service one',
  });
});

test('a service blueprint loaded as a network blueprint says so', () => {
  const e = catchError(() => loadNetworkBlueprint('example-blueprints/aws-nginx/blueprint.yml'));
  expect(e.code).toBe('BLUEPRINT_INVALID');
  expect(issueAt(e, 'network.subnetwork_max_instance_count')).toMatchObject({
    code: 'BLUEPRINT_UNKNOWN_KEY',
    key: 'network.subnetwork_max_instance_count',
    problem: '`network.subnetwork_max_instance_count` is a Service blueprint setting, not a Network one',
  });
});

describe('blueprints built in code get the same errors', () => {
  test.each([
    [{ instance: { publicIp: true } }, 'BLUEPRINT_UNKNOWN_KEY', 'instance.publicIp', 'did you mean `public_ip`?'],
    [{ instance: { type: 5 } }, 'BLUEPRINT_INVALID_VALUE', 'instance.type', 'write it like `type: {aws: t3.micro, google: e2-small}`'],
    [{ instance: { type: {} } }, 'BLUEPRINT_MISSING_KEY', 'instance.type', 'give `aws:` and/or `google:`, e.g. `type: {aws: t3.micro, google: e2-small}`'],
    [{ instance: { type: 'weird_type' } }, 'BLUEPRINT_INVALID_VALUE', 'instance.type', 'name it per cloud, e.g. `type: {aws: t3.micro, google: e2-small}`'],
    [{ instance: { cpus: 0 } }, 'BLUEPRINT_INVALID_VALUE', 'instance.cpus', 'write it like `cpus: 2`'],
    [{ instance: { selection: 'cheap' } }, 'BLUEPRINT_INVALID_VALUE', 'instance.selection', 'use one of: cheapest, requirements'],
    [{ image: {} }, 'BLUEPRINT_MISSING_KEY', 'image', 'add `name:` (AWS AMI name pattern), `family:` (Google), or per-cloud `aws:` / `google:` entries'],
    [{ image: { aws: { family: 'x' } } }, 'BLUEPRINT_UNKNOWN_KEY', 'image.aws.family', 'move it: it is `image.family` or `image.google.family`'],
    [{ initialization: [{ path: 'x.sh', required: true }] }, 'BLUEPRINT_UNKNOWN_KEY', 'initialization[0].required', 'move it: it is `initialization[].vars.<NAME>.required`'],
    [{ initialization: [{}] }, 'BLUEPRINT_MISSING_KEY', 'initialization[0].path', 'add `path: setup.sh`; the path is relative to the blueprint file\'s folder'],
  ])('%j', (obj, code, key, hint) => {
    const e = issueAt(catchError(() => parseServiceBlueprint(obj, { file: 'inline.yml' })), key)!;
    expect({ code: e.code, file: e.file, key: e.key, hint: e.hint }).toEqual({ code, file: 'inline.yml', key, hint });
    expectPlainWords(e.message);
  });

  test('every problem is reported at once, in document order; a misspelt key is not also "missing"', () => {
    const e = catchError(() => parseServiceBlueprint({ placement: { availability_zones: 0 }, instance: { disks: [{ sise: '8GB' }] } }, { file: 'inline.yml' }));
    expect(e.code).toBe('BLUEPRINT_INVALID');
    expect(e.issues.map((i) => [i.code, i.key])).toEqual([
      ['BLUEPRINT_INVALID_VALUE', 'placement.availability_zones'],
      ['BLUEPRINT_UNKNOWN_KEY', 'instance.disks[0].sise'],
    ]);
    expect(e.message).toMatch(/^inline\.yml: 2 problems \[BLUEPRINT_INVALID\]\n  - placement\.availability_zones: .*\n.*\n  - instance\.disks\[0\]\.sise: unknown key `sise` \[BLUEPRINT_UNKNOWN_KEY\]\n      fix: did you mean `size`\?$/);
    expectPlainWords(e.message);
  });
});

/** No stack trace, no zod vocabulary, no "[object Object]". */
function expectPlainWords(message: string): void {
  expect(message).not.toMatch(/\n\s+at .+[(:]\d+/);
  expect(message).not.toMatch(/zod/i);
  // zod's issue codes are lower case; Butter's own codes (BLUEPRINT_INVALID_VALUE) are upper case.
  expect(message).not.toMatch(/invalid_type|invalid_union|invalid_value|invalid_key|unrecognized_keys|too_small|too_big|Invalid input|received|\[object Object\]/);
}

