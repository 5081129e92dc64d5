import * as fs from 'node:fs';

/**
 * Debug logging for the mock cloud. Lines go to the file named by `$BUTTER_MOCK_LOG` (if set) and,
 * when running as a Terraform plugin, to stderr, where go-plugin picks them up for `TF_LOG=debug`.
 * In a daemon inside the Butter CLI, stderr is the user's terminal, so it stays quiet there.
 */

let toStderr = false;
const logFile = process.env.BUTTER_MOCK_LOG;

/** Also write log lines to stderr (plugin mode). */
export function logToStderr(enabled: boolean): void {
  toStderr = enabled;
}

/** Log one line. */
export function log(message: string): void {
  if (!toStderr && !logFile) return;
  const line = `[DEBUG] butter-mock pid=${process.pid}: ${message}\n`;
  if (toStderr) process.stderr.write(line);
  if (logFile) {
    try {
      fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}`);
    } catch {
      // Logging must never break the provider.
    }
  }
}
