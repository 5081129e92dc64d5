/**
 * The rendered startup script's size is checked at synth: EC2's 16 KB of user data and Compute
 * Engine's 256 KB per metadata value apply to the document the instance receives (variables
 * filled in, several scripts joined as cloud-init multipart), which the blueprint's file caps
 * cannot see.
 */
import { Service } from '../../constructs';
import { awsStack, googleServiceBody, googleStack, serviceBody, synthJson, tempDir, writeBlueprint } from '../helpers/synth';
import { butterErrorOf } from '../helpers/errors';

describe('user data size at synth', () => {
  const dir = tempDir('butter-user-data-');
  const line = `echo ${'x'.repeat(94)}\n`; // 100 bytes

  test('AWS: two scripts under 16 KB together, over it once joined as multipart, are refused naming the blueprint and initialization', () => {
    const script = `#!/bin/sh\n${line.repeat(81)}`; // 8,110 bytes each: 16,220 bytes of scripts
    const bp = writeBlueprint(dir, 'two', serviceBody({ initialization: [{ path: 'a.sh' }, { path: 'b.sh' }] }), { 'a.sh': script, 'b.sh': script });
    const { network } = awsStack();
    const e = butterErrorOf(() => new Service(network, 'web', { blueprint: bp }));
    expect(e.code).toBe('USER_DATA_TOO_LARGE');
    expect(e.file).toBe(bp);
    expect(e.key).toBe('initialization');
    expect(e.constructPath).toBe('test/dev/web');
    const bytes = Number(/is ([\d,]+) bytes/.exec(e.problem)![1]!.replace(/,/g, ''));
    expect(bytes).toBeGreaterThan(16_384);
    expect(bytes).toBeGreaterThan(2 * script.length); // the multipart headers are counted
    expect(e.message).toContain(bp);
  });

  test('AWS: a small template that renders large (a loop) is refused; one under the limit synthesizes', () => {
    const loop = writeBlueprint(dir, 'loop', serviceBody({ initialization: [{ path: 'start.sh', vars: { N: { required: true } } }] }),
      { 'start.sh': `#!/bin/sh\n{% for i in range(N) %}${line}{% endfor %}` });
    expect(butterErrorOf(() => new Service(awsStack().network, 'web', { blueprint: loop, templateVars: { N: 200 } })).problem)
      .toBe('the rendered startup script is 20,010 bytes; EC2 accepts at most 16,384 bytes of user data (before base64)');
    const { stack, network } = awsStack();
    new Service(network, 'web', { blueprint: loop, templateVars: { N: 100 } });
    expect(Object.values(synthJson(stack).locals ?? {}).some((v) => typeof v === 'string' && v.length === 10_010)).toBe(true);
  });

  test('AWS: a deploy-time template whose literal text alone is over the limit is refused', () => {
    const bp = writeBlueprint(dir, 'deploy-time', serviceBody({ initialization: [{ path: 'lb.cfg', vars: { PrivateIps: { required: true } } }] }),
      { 'lb.cfg': `${line.repeat(170)}{% for ip in PrivateIps %}server {{ ip }}\n{% endfor %}` });
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: writeBlueprint(dir, 'plain', serviceBody()) });
    const e = butterErrorOf(() => new Service(network, 'lb', { blueprint: bp, templateVars: { PrivateIps: web.privateIps } }));
    expect(e.code).toBe('USER_DATA_TOO_LARGE');
    expect(e.problem).toContain('17,000 bytes before its deploy-time values');
  });

  test('Google: the rendered metadata value over 256 KB is refused, within the file caps (two scripts of 140 KB)', () => {
    const script = `#!/bin/sh\n${line.repeat(1400)}`;
    const bp = writeBlueprint(dir, 'google-two', googleServiceBody({ initialization: [{ path: 'a.sh' }, { path: 'b.sh' }] }), { 'a.sh': script, 'b.sh': script });
    const e = butterErrorOf(() => new Service(googleStack().network, 'web', { blueprint: bp }));
    expect(e.code).toBe('USER_DATA_TOO_LARGE');
    expect(e.key).toBe('initialization');
    expect(e.problem).toMatch(/^the rendered startup script is 280,[\d]{3} bytes; a Compute Engine metadata value holds at most 262,144 bytes$/);
    // One of them alone is fine on Google (and far over AWS's limit).
    const one = writeBlueprint(dir, 'google-one', googleServiceBody({ initialization: [{ path: 'a.sh' }] }), { 'a.sh': script });
    expect(() => new Service(googleStack().network, 'web', { blueprint: one })).not.toThrow();
  });
});
