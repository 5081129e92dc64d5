import { cloudInitContentType } from '../../src/planning/templating';
import type { GoogleInstanceSpec } from '../../src/blueprint/types';

/**
 * Butter's Google VM metadata defaults, each overridable in the blueprint (`instance.google`):
 * OS Login on (SSH access follows IAM), project-wide SSH keys blocked (one leaked project key
 * does not open every VM), the interactive serial console off. Set on the template itself, so
 * they hold whatever the project's metadata says.
 */
export const GOOGLE_VM_DEFAULTS: Required<GoogleInstanceSpec> = { osLogin: true, blockProjectSshKeys: true, serialPort: false };

const KEYS: ReadonlyArray<readonly [keyof GoogleInstanceSpec, string]> = [
  ['osLogin', 'enable-oslogin'],
  ['blockProjectSshKeys', 'block-project-ssh-keys'],
  ['serialPort', 'serial-port-enable'],
];

/** The metadata entries of a service's instances (Google writes booleans as TRUE/FALSE). */
export function securityMetadata(service: { blueprint: { instance: { google?: GoogleInstanceSpec } } }): Record<string, string> {
  const chosen = { ...GOOGLE_VM_DEFAULTS, ...definedOnly(service.blueprint.instance.google) };
  return Object.fromEntries(KEYS.map(([field, key]) => [key, chosen[field] ? 'TRUE' : 'FALSE']));
}

/** The blueprint's departures from {@link GOOGLE_VM_DEFAULTS}, by metadata key (recorded for checks and people). */
export function securityOverrides(service: { blueprint: { instance: { google?: GoogleInstanceSpec } } }): Record<string, string> {
  const given = definedOnly(service.blueprint.instance.google);
  return Object.fromEntries(KEYS
    .filter(([field]) => given[field] !== undefined && given[field] !== GOOGLE_VM_DEFAULTS[field])
    .map(([field, key]) => [key, given[field] ? 'TRUE' : 'FALSE']));
}

function definedOnly(spec: GoogleInstanceSpec | undefined): GoogleInstanceSpec {
  return Object.fromEntries(Object.entries(spec ?? {}).filter(([, v]) => v !== undefined));
}

/** The instance metadata key that runs a service's rendered initialization on Google. */
export type GoogleStartupKey = 'startup-script' | 'user-data';

/**
 * Where a service's startup text goes in Google instance metadata.
 *
 * - A script (`#!...`, or any text with no cloud-init header, which both cloud-init and the
 *   guest agent take for a shell script) goes to `startup-script`: Google's guest agent runs it
 *   at every boot, on every Google image.
 * - Anything else, a `#cloud-config` document or the MIME multipart Butter makes of several
 *   scripts, goes to `user-data`, which cloud-init reads on images that run it with Google's
 *   data source (Ubuntu, Container-Optimized OS). The guest agent would try to *execute* a
 *   cloud-config as a shell script, so it must not go to `startup-script`. Images without
 *   cloud-init (Google's Debian, RHEL) ignore `user-data`: give them shell scripts.
 */
export function googleStartupKey(userData: string): GoogleStartupKey {
  if (/^Content-Type:\s*multipart\//i.test(userData)) return 'user-data';
  return cloudInitContentType(userData) === 'text/x-shellscript' ? 'startup-script' : 'user-data';
}
