import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { isAlive } from '../../../src/util/process';

describe('isAlive', () => {
  test('a running process is alive; one that never was, or exited, is not', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 12345)).toBe(false); // above Linux's pid_max
  });

  // A daemon reaped late by init was taken for running for 2 s after it had stopped.
  (process.platform === 'linux' ? test : test.skip)('a zombie (exited, not yet reaped) is not alive, though signal 0 still reaches it', async () => {
    // A short `sleep` runs in the background of a shell that then becomes `sleep 5`, which never
    // reaps it. It outlives the shell's own bookkeeping (`true` there was sometimes reaped by the
    // shell before its exec, on a loaded machine), then stays a zombie until the parent ends.
    const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
      const state = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
      for (const started = Date.now(); state() !== 'Z' && Date.now() - started < 4000;) await new Promise((r) => setTimeout(r, 50));
      expect(state()).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(isAlive(pid)).toBe(false);
      expect(isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill();
    }
  });
});
