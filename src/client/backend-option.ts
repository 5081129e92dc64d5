import { ButterError } from '../errors';
import { WorkspaceBackend } from './workspace';

/**
 * `--backend pg:schemaPrefix=team` → `{ type: 'pg', schemaPrefix: 'team' }`. Only the shape is
 * read here; the values are checked by the workspace schema like the file's (the Client does),
 * so the command line and the file accept exactly the same backends.
 */
export function parseBackendOption(text: string): WorkspaceBackend {
  const m = /^([a-z0-9]+)(?::(.*))?$/s.exec(text);
  if (!m) throw new ButterError('BACKEND_INVALID', `"${text}" is not a backend`, { hint: 'use local, pg[:schemaPrefix=NAME], s3:bucket=B[,keyPrefix=K][,region=R] or gcs:bucket=B[,prefix=P]' });
  const settings: Record<string, string> = {};
  for (const part of m[2] ? m[2].split(',') : []) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    if (eq <= 0 || !/^[A-Za-z]+$/.test(key) || key === 'type' || Object.prototype.hasOwnProperty.call(settings, key)) {
      throw new ButterError('BACKEND_INVALID', `"${part}" is not a backend setting`, { hint: 'write settings as name=value, separated by commas, each name once' });
    }
    settings[key] = part.slice(eq + 1);
  }
  return { type: m[1], ...settings } as unknown as WorkspaceBackend;
}
