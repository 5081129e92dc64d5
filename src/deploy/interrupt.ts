import { ChildProcess } from 'node:child_process';
import { ButterError } from '../errors';

/**
 * What `butter deploy` does on SIGINT, SIGTERM and SIGHUP:
 *
 * - the first is passed on to the running Terraform, which finishes the requests in flight,
 *   saves its state and exits; Butter then stops the mock cloud and state server (removing their
 *   temporary folders and the state lock) and ends with an {@link InterruptedError};
 * - a second one ends everything at once: Terraform's process group is killed, the locks are
 *   released and the process exits (exit handlers remove the socket folders).
 *
 * Terraform runs in its own process group, so a Ctrl-C on the terminal reaches Butter alone and
 * Terraform gets exactly one interrupt (two would make it exit at once, without saving).
 */
export class Interrupt {
  /**
   * Listen for the signals until {@link dispose}. `onForce` runs (synchronously) before the
   * process exits on a second signal.
   */
  public static listen(onForce: () => void = () => undefined): Interrupt {
    return new Interrupt(onForce);
  }

  /** The first signal received, if any. */
  public received?: NodeJS.Signals;
  private readonly children = new Set<ChildProcess>();
  private readonly forceHooks: Array<() => void> = [];
  private readonly handler = (signal: NodeJS.Signals): void => this.receive(signal);

  private constructor(onForce: () => void) {
    this.forceHooks.push(onForce);
    for (const s of SIGNALS) process.on(s, this.handler);
  }

  /** Also run `hook` before a forced exit (e.g. release a lock). */
  public onForce(hook: () => void): void {
    this.forceHooks.push(hook);
  }

  /** Pass signals on to `child` (spawned `detached`, its own process group) while it runs. */
  public track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    // Interrupted between spawn and now: it still gets the signal.
    if (this.received) signalGroup(child, this.received);
  }

  /** Stop listening. */
  public dispose(): void {
    for (const s of SIGNALS) process.off(s, this.handler);
  }

  /** Throw the {@link InterruptedError} when a signal came. */
  public throwIfInterrupted(what: string): void {
    if (this.received) throw new InterruptedError(this.received, what);
  }

  private receive(signal: NodeJS.Signals): void {
    if (!this.received) {
      this.received = signal;
      process.stderr.write(`\n${signal}: stopping Terraform gracefully (it saves its state); a second signal stops everything at once\n`);
      for (const child of this.children) signalGroup(child, signal);
      return;
    }
    process.stderr.write(`\n${signal} again: stopping now\n`);
    for (const child of this.children) signalGroup(child, 'SIGKILL');
    for (const hook of this.forceHooks) {
      try {
        hook();
      } catch {
        // Exiting anyway: the next run takes over what is left (stale locks, errored state).
      }
    }
    process.exit(exitCodeOf(this.received));
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's convention: 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal];
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the group: Terraform and the provider plugins it started
  } catch {
    child.kill(signal);
  }
}

/** A deploy, plan or destroy stopped by a signal; the CLI exits with {@link exitCode}. */
export class InterruptedError extends ButterError {
  /** 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
  public readonly exitCode: number;

  constructor(public readonly signal: NodeJS.Signals, what: string) {
    super('INTERRUPTED', `${what} interrupted by ${signal}; a running Terraform finished the changes in progress and saved its state`, {
      hint: `run \`butter ${what}\` again to finish: it resumes from the saved state, and objects the interrupted run created are adopted, not created twice`,
    });
    this.name = 'InterruptedError';
    this.exitCode = exitCodeOf(signal);
  }
}
