import { ProviderEntry } from '../provider-entry';
import { CloudStore } from '../cloud/store';
import { ProviderService } from '../framework/provider-service';
import { log, logToStderr } from '../log';
import { serveProvider } from './grpc-server';

/**
 * Running as a Terraform plugin: Terraform started this process (through the mirror launcher) and
 * talks go-plugin to it.
 *
 * The handshake is environment variables in (magic cookie, protocol versions, client certificate)
 * and one line out on stdout: `1|6|unix|<socket>|grpc|<server cert>`, nothing before it. The
 * process then serves until Terraform calls GRPCController.Shutdown. Ctrl-C reaches the whole
 * process group, so SIGINT is ignored (Terraform sends StopProvider instead), as go-plugin does.
 */

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** Serve `entry` to the Terraform process that started us. Returns once the handshake is out. */
export async function runPlugin(entry: ProviderEntry, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write('This is a Terraform provider plugin (the Butter mock cloud); Terraform runs it, not you.\n'
      + 'To serve the mock cloud for TF_REATTACH_PROVIDERS, run it with "daemon" instead of "plugin".\n');
    process.exit(1);
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '').split(',').map((v) => v.trim());
  if (!offered.includes('6')) {
    process.stderr.write(`The Butter mock cloud speaks plugin protocol 6; Terraform offered ${offered.join(',') || 'none'}.\n`);
    process.exit(1);
  }
  process.on('SIGINT', () => log('SIGINT ignored'));
  // Exit through process.exit, so the socket folder is removed (a plain SIGTERM death skips that).
  process.on('SIGTERM', () => process.exit(0));
  logToStderr(true);
  // Anything printed to stdout after the handshake would be taken for plugin output.
  console.log = (...args: unknown[]) => log(args.map(String).join(' '));

  // Terraform starts the plugin in its working directory: the configuration there is checked for
  // types the mock does not simulate (framework/unsimulated.ts).
  const service = new ProviderService(entry.load(), CloudStore.forProvider(entry.name), { configDir: process.cwd() });
  const served = await serveProvider(service, {
    clientCertPem: env.PLUGIN_CLIENT_CERT || undefined,
    socketDir: env.PLUGIN_UNIX_SOCKET_DIR || undefined,
    onShutdown: () => process.exit(0),
  });
  const cert = served.serverCertDer ? served.serverCertDer.toString('base64').replace(/=+$/, '') : '';
  process.stdout.write(`1|6|${served.network}|${served.address}|grpc|${cert}\n`);
  log(`serving ${entry.source} ${entry.version} on ${served.address} (tls: ${cert !== ''}) after ${Math.round(process.uptime() * 1000)}ms`);
  exitWithParent();
}

/**
 * Exit when Terraform dies without calling Shutdown (SIGKILL, crash): we would be orphaned
 * forever otherwise. An apply in flight is abandoned uncommitted, as if it never reached the cloud.
 */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      log('Terraform went away; exiting');
      process.exit(0);
    }
  }, 250).unref();
}
