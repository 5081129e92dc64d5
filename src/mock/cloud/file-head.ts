import * as fs from 'node:fs';

/**
 * Whether `file` starts with exactly `prefix` (false when it is missing or shorter): how the cloud
 * store tells that its state file still holds the version it knows, from a few hundred bytes
 * instead of the whole file.
 */
export function startsWith(file: string, prefix: string): boolean {
  const want = Buffer.from(prefix, 'utf8');
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const got = Buffer.alloc(want.length);
    let read = 0;
    while (read < want.length) {
      const n = fs.readSync(fd, got, read, want.length - read, read);
      if (n === 0) return false;
      read += n;
    }
    return got.equals(want);
  } finally {
    fs.closeSync(fd);
  }
}
