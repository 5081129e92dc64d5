import * as fs from 'node:fs';
import { chromium, Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: no browser
 * download (the machines here cannot fetch one). `BUTTER_CHROMIUM` points at another binary.
 */
export const CHROMIUM_PATH = [process.env.BUTTER_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p): p is string => !!p && fs.existsSync(p));

/**
 * `describe` when a Chromium binary exists, else `describe.skip` with a message saying why:
 * the only reason browser tests may skip (CI installs Chromium).
 */
export function describeInChromium(name: string, fn: () => void): void {
  if (CHROMIUM_PATH) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED "${name}": no Chromium binary found (/usr/bin/chromium); install it with: apt-get install -y chromium`);
    describe.skip(name, fn);
  }
}

/**
 * Headless Chromium as root on a machine with no outside network: no sandbox (root), and none
 * of the background connections Chromium would otherwise try (and fail) at every start.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
