/**
 * Progress for long operations (synth, terraform init/apply). The library reports; the CLI
 * decides how it looks: a live counter on a terminal, one line per step otherwise (logs, CI).
 */
export interface Progress {
  /** Run one named step, reporting its start, end and duration. */
  step<T>(label: string, fn: () => Promise<T>): Promise<T>;
  /** A line of Terraform output for `stack`. */
  line(stack: string, line: string): void;
}

/** Reports nothing. */
export const silentProgress: Progress = {
  step: (_label, fn) => fn(),
  line: () => undefined,
};

/** Terraform's per-resource completion lines: `aws_vpc.x: Creation complete after 0s [id=...]`. */
const DONE = /: (Creation|Modifications|Destruction|Read) complete/;

/** Progress on a stream (stderr by default, so stdout stays for results). */
export function streamProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = Boolean(stream.isTTY);
  let current = '';
  let done = 0;
  const started = () => (live ? stream.write(`… ${current}`) : stream.write(`… ${current}\n`));
  return {
    async step<T>(label: string, fn: () => Promise<T>): Promise<T> {
      current = label;
      done = 0;
      const t0 = Date.now();
      started();
      try {
        const result = await fn();
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        const count = done ? `, ${done} resources` : '';
        stream.write(live ? `\r\x1b[K✓ ${label} (${secs}s${count})\n` : `✓ ${label} (${secs}s${count})\n`);
        return result;
      } catch (e) {
        stream.write(live ? `\r\x1b[K✗ ${label}\n` : `✗ ${label}\n`);
        throw e;
      }
    },
    line(_stack: string, line: string): void {
      if (!DONE.test(line)) return;
      done++;
      if (live) stream.write(`\r\x1b[K… ${current}: ${done} resources`);
    },
  };
}
