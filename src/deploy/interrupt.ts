import { ChildProcess } from 'node:child_process';
import { ButterError } from '../errors';

/**
 * What Butter does on SIGINT, SIGTERM and SIGHUP while it runs Terraform (`butter deploy`, the
 * workspace commands, `butter test`):
 *
 * - the first is passed on to the running Terraform, which finishes the requests in flight,
 *   saves its state and exits; nothing new starts (every step checks {@link throwIfInterrupted});
 *   Butter then stops the mock cloud and state server (removing their temporary folders and the
 *   state lock) and ends with an {@link InterruptedError};
 * - a second one ends everything at once: Terraform's process group is killed, the locks are
 *   released (the {@link onForce} hooks) and the process exits (exit handlers remove the socket
 *   folders).
 *
 * Terraform runs in its own process group, so a Ctrl-C on the terminal reaches Butter alone and
 * Terraform gets exactly one interrupt (two would make it exit at once, without saving).
 *
 * Signal handlers belong to the process, so there is one listening Interrupt per process: a
 * {@link listen} while one listens joins it (the command's, e.g. `butter test`'s around the
 * Client's changes and their deploys), and it stops listening when the last holder disposes it.
 */
export class Interrupt {
  /**
   * Listen for the signals until {@link dispose}, or join the Interrupt already listening in this
   * process. `onForce` runs (synchronously) before the process exits on a second signal.
   */
  public static listen(onForce?: () => void): Interrupt {
    const interrupt = Interrupt.current ?? (Interrupt.current = new Interrupt());
    interrupt.holders += 1;
    if (onForce) interrupt.onForce(onForce);
    return interrupt;
  }

  /** Join the Interrupt listening in this process, if there is one (dispose it when done). */
  public static join(): Interrupt | undefined {
    return Interrupt.current ? Interrupt.listen() : undefined;
  }

  private static current?: Interrupt;

  /** The first signal received, if any. */
  public received?: NodeJS.Signals;
  /** Aborted by the first signal: for waits that should stop (a lock, a delay). */
  public readonly signal: AbortSignal;
  private readonly abort = new AbortController();
  private holders = 0;
  private readonly children = new Set<ChildProcess>();
  private readonly forceHooks = new Set<() => void>();
  private readonly handler = (signal: NodeJS.Signals): void => this.receive(signal);

  private constructor() {
    this.signal = this.abort.signal;
    for (const s of SIGNALS) process.on(s, this.handler);
  }

  /**
   * Also run `hook` before a forced exit (e.g. release a lock). Returns what removes it again, for
   * a step that is over (its lock released).
   */
  public onForce(hook: () => void): () => void {
    this.forceHooks.add(hook);
    return () => this.forceHooks.delete(hook);
  }

  /** Pass signals on to `child` (spawned `detached`, its own process group) while it runs. */
  public track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    // Interrupted between spawn and now: it still gets the signal.
    if (this.received) signalGroup(child, this.received);
  }

  /** Let go of it; the last holder stops listening. */
  public dispose(): void {
    if (this.holders === 0) return;
    this.holders -= 1;
    if (this.holders > 0) return;
    for (const s of SIGNALS) process.off(s, this.handler);
    if (Interrupt.current === this) Interrupt.current = undefined;
  }

  /** Throw the {@link InterruptedError} when a signal came. */
  public throwIfInterrupted(what: string): void {
    if (this.received) throw new InterruptedError(this.received, what);
  }

  private receive(signal: NodeJS.Signals): void {
    if (!this.received) {
      this.received = signal;
      const running = [...this.children].some((c) => c.exitCode === null && c.signalCode === null);
      process.stderr.write(running
        ? `\n${signal}: stopping Terraform gracefully (it saves its state); a second signal stops everything at once\n`
        : `\n${signal}: stopping before the next step; a second signal stops everything at once\n`);
      for (const child of this.children) signalGroup(child, signal);
      this.abort.abort(new InterruptedError(signal, 'the command'));
      return;
    }
    process.stderr.write(`\n${signal} again: stopping now\n`);
    for (const child of this.children) signalGroup(child, 'SIGKILL');
    // Last registered first, as a stack unwinds: a change puts its ledger back before its lock goes.
    for (const hook of [...this.forceHooks].reverse()) {
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

/** How an {@link InterruptedError} describes what was stopped and how to go on. */
export interface InterruptedWording {
  /**
   * What was stopped and in what state it was left, after "<what> interrupted by <signal>; ".
   * @default - a running Terraform finished the changes in progress and saved its state
   */
  readonly state?: string;
  /**
   * How to finish (the error's hint).
   * @default - run `butter <what>` again
   */
  readonly resume?: string;
}

/** A command stopped by a signal; the CLI exits with {@link exitCode}. */
export class InterruptedError extends ButterError {
  /** 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
  public readonly exitCode: number;

  /** `what`: the command stopped, as the user would type it after `butter` (`deploy`, `network create dev`). */
  constructor(public readonly signal: NodeJS.Signals, public readonly what: string, wording: InterruptedWording = {}) {
    super('INTERRUPTED', `${what} interrupted by ${signal}; ${wording.state ?? 'a running Terraform finished the changes in progress and saved its state'}`, {
      hint: wording.resume ?? `run \`butter ${what}\` again to finish: it resumes from the saved state, and objects the interrupted run created are adopted, not created twice`,
    });
    this.name = 'InterruptedError';
    this.exitCode = exitCodeOf(signal);
  }
}

/** True for an {@link InterruptedError} (also across copies of this module). */
export function isInterrupted(e: unknown): e is InterruptedError {
  return e instanceof ButterError && e.code === 'INTERRUPTED' && typeof (e as InterruptedError).exitCode === 'number';
}
