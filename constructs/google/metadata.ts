import { cloudInitContentType } from '../../src/planning/templating';

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
