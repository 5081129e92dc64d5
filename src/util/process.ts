import * as fs from 'node:fs';

/**
 * True when a process with this pid is running (EPERM: it exists but belongs to someone else).
 *
 * A zombie (exited, not yet reaped by its parent) is not running: signal 0 still reaches it, so
 * `/proc` is asked for its state where there is one. A daemon whose parent exited is reaped by
 * the system's init, which in some containers and VMs does so only every few seconds: measured
 * here, a stopped launch daemon looked alive for 2 s after it had exited.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...": comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS), or it went away just now: signal 0 has answered
  }
}
