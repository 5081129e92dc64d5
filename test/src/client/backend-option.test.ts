import { parseBackendOption } from '../../../src/client/backend-option';
import { butterIn, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

describe('--backend', () => {
  test('type and settings, as the workspace file writes them', () => {
    expect(parseBackendOption('local')).toEqual({ type: 'local' });
    expect(parseBackendOption('pg:schemaPrefix=team')).toEqual({ type: 'pg', schemaPrefix: 'team' });
    expect(parseBackendOption('s3:bucket=b,keyPrefix=a/b,region=eu-west-1')).toEqual({ type: 's3', bucket: 'b', keyPrefix: 'a/b', region: 'eu-west-1' });
  });

  test.each(['', 'PG', 'pg:schemaPrefix', 'pg:=x', 'pg:type=s3', 's3:bucket=a,bucket=b', 'pg:a b=c'])('%j is not a backend option', (text) => {
    expect(() => parseBackendOption(text)).toThrow(expect.objectContaining({ code: 'BACKEND_INVALID' }));
  });

  test('on the command line: a malformed option is a usage error; hostile values are refused like the file\'s', async () => {
    const dir = tempDir('butter-backend-cli-');
    const usage = await butterIn(dir, 'network', 'list', '--cloud', 'aws', '--backend', 'pg:schemaPrefix');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('[BACKEND_INVALID]');
    const hostile = await butterIn(dir, 'network', 'list', '--cloud', 'aws', '--backend', 's3:bucket=${file("/etc/passwd")}');
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('backend.bucket: "${file(\\"/etc/passwd\\")}" is not a valid bucket [WORKSPACE_INVALID]');
    const credentials = await butterIn(dir, 'network', 'list', '--cloud', 'aws', '--backend', 'pg:connStr=postgres://u:secret@db/x');
    expect(credentials.code).toBe(1);
    expect(credentials.stderr).toContain('unknown key "connStr" in "backend"');
  });
});
