import * as fs from 'node:fs';
import { findProvider, ProviderEntry } from '../provider-entry';
import { runPlugin } from '../plugin/plugin-mode';
import { serveForReattach } from './reattach';
import { runLaunchDaemon } from './launch-daemon';

/**
 * The mock cloud's command line, shared by `src/mock/main.ts` and by test entry points that serve
 * their own catalog:
 *
 * - `plugin <name>`: be a Terraform plugin (what the mirror launcher runs);
 * - `daemon <name>…`: serve for TF_REATTACH_PROVIDERS, print the reattach JSON as one line on
 *   stdout (as an `export` line on a terminal), and serve until SIGTERM/SIGINT or, when stdin is
 *   a pipe, until it closes;
 * - `launch-daemon <socket>`: serve the mirror's plugin launchers (launch-daemon.ts); started by
 *   the launcher itself, detached.
 */
export async function runMain(argv: readonly string[], catalog: readonly ProviderEntry[]): Promise<void> {
  const [mode, ...names] = argv;
  if (mode === 'plugin' && names.length === 1) {
    await runPlugin(findProvider(catalog, names[0]));
  } else if (mode === 'daemon') {
    const entries = names.length > 0 ? names.map((n) => findProvider(catalog, n)) : catalog;
    const servers = await serveForReattach(entries);
    const json = JSON.stringify(servers.providers);
    process.stdout.write(process.stdout.isTTY ? `export TF_REATTACH_PROVIDERS='${json}'\n` : `${json}\n`);
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void servers.close().then(() => process.exit(0));
    };
    // Started by startMockCloud (stdin is a pipe from the parent): stop when the parent closes
    // it or dies. Started some other way (terminal, /dev/null): stop on a signal only.
    const stdin = fs.fstatSync(0);
    if (stdin.isFIFO() || stdin.isSocket()) process.stdin.on('end', stop).on('close', stop).resume();
    process.on('SIGTERM', stop).on('SIGINT', stop);
  } else if (mode === 'launch-daemon' && names.length === 1) {
    const daemon = await runLaunchDaemon({ socket: names[0], catalog, watchFile: process.argv[1] });
    if (!daemon) process.exit(0);
    await daemon.stopped;
    process.exit(0);
  } else {
    process.stderr.write('usage: main plugin <provider>   (run by Terraform)\n'
      + '       main daemon [provider...] (serve for TF_REATTACH_PROVIDERS)\n'
      + '       main launch-daemon <socket>   (serve the mirror\'s plugin launchers)\n'
      + `providers: ${catalog.map((e) => e.name).join(', ')}\n`);
    process.exitCode = 2;
  }
}
