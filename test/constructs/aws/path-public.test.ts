import { Service, Path, Internet, Port, CidrBlock } from '../../../constructs';
import { awsStack, tempDir, writeBlueprint, serviceBody } from '../../helpers/synth';

/**
 * A Path from public addresses into a service without a public address admits nothing: the
 * construct warns (a cdktf annotation, printed by synth), and still renders the rule.
 */
describe('Path from public addresses', () => {
  const dir = tempDir();
  const privateBp = writeBlueprint(dir, 'private', serviceBody());
  const publicBp = writeBlueprint(dir, 'public', serviceBody({ instance: { ...(serviceBody().instance as object), public_ip: true } }));

  const warnings = (path: Path): string[] => path.node.metadata
    .filter((m) => m.type === '@cdktf/warn') // what Annotations.of(scope).addWarning records
    .map((m) => String(m.data));

  test('to a service without a public address: a warning naming the source, service and port', () => {
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    const fromInternet = new Path(Internet, web, 80);
    const fromOffice = new Path(new CidrBlock('198.51.100.0/24'), web, Port.tcp(22));
    expect(warnings(fromInternet)).toEqual([
      'the Path from 0.0.0.0/0 to web on tcp:80 admits nothing: web has no public address (its blueprint\'s instance.public_ip is false), '
        + 'so nothing outside the network can reach it',
    ]);
    expect(warnings(fromOffice)[0]).toMatch(/^the Path from 198\.51\.100\.0\/24 to web on tcp:22 admits nothing/);
  });

  test('no warning from private blocks or services, nor into a service with a public address', () => {
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    const lb = new Service(network, 'lb', { blueprint: publicBp });
    for (const path of [new Path(new CidrBlock('10.20.0.0/16'), web, 80), new Path(lb, web, 80), new Path(Internet, lb, 443),
      new Path(new CidrBlock('192.168.1.0/24'), web, 443)]) {
      expect(warnings(path)).toEqual([]);
    }
  });

  test('port 0 is refused: it reaches nothing', () => {
    const { network } = awsStack();
    const web = new Service(network, 'web', { blueprint: privateBp });
    expect(() => new Path(new CidrBlock('10.20.0.0/16'), web, 0)).toThrow(/port 0 is not a port traffic can use \[PORT_INVALID\]/);
    expect(() => Port.parse('udp:0')).toThrow('[PORT_INVALID]');
    expect(() => Port.parse('tcp:0-1023')).toThrow('[PORT_INVALID]');
    expect(Port.parse('tcp:0-65535').key).toBe('tcp-all');
    expect(Port.parse('tcp').key).toBe('tcp-all');
  });
});
