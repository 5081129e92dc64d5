import { Port } from '../../../src/model/port';
import { mergePorts, portOf, subtractPort, uncoveredPorts } from '../../../src/reachability/ports';

const keys = (ports: readonly Port[]) => ports.map((p) => p.key);

describe('ports for reachability questions', () => {
  test('a number is TCP unless a protocol is given; text is parsed', () => {
    expect(portOf(80).key).toBe('tcp-80');
    expect(portOf(53, 'udp').key).toBe('udp-53');
    expect(portOf('53', 'udp').key).toBe('udp-53');
    expect(portOf('udp:53').key).toBe('udp-53');
    expect(portOf('tcp:8000-8080').key).toBe('tcp-8000-8080');
    expect(portOf(Port.allIcmp()).key).toBe('icmp-all');
    expect(() => portOf('http')).toThrow(/PORT_INVALID/);
  });

  test('uncovered parts of a range', () => {
    expect(uncoveredPorts(Port.tcpRange(80, 100), [[80, 85], [90, 95]])).toEqual([[86, 89], [96, 100]]);
    expect(uncoveredPorts(Port.tcpRange(80, 100), [[0, 65535]])).toEqual([]);
    expect(uncoveredPorts(Port.tcp(22), [])).toEqual([[22, 22]]);
  });

  test('what a deny leaves of an allow', () => {
    expect(keys(subtractPort(Port.tcpRange(80, 90), Port.tcp(85)))).toEqual(['tcp-80-84', 'tcp-86-90']);
    expect(keys(subtractPort(Port.tcpRange(80, 90), Port.udp(85)))).toEqual(['tcp-80-90']);
    expect(keys(subtractPort(Port.tcp(80), Port.allTraffic()))).toEqual([]);
    expect(keys(subtractPort(Port.allTraffic(), Port.allTcp()))).toEqual(['udp-all', 'icmp-all']);
    expect(keys(subtractPort(Port.icmpType(8), Port.allIcmp()))).toEqual([]);
  });

  test('merged for reports: overlapping and adjacent ranges joined per protocol', () => {
    expect(keys(mergePorts([Port.tcp(443), Port.tcp(80), Port.tcpRange(81, 90), Port.udp(53), Port.icmpType(8)]))).toEqual(['tcp-80-90', 'tcp-443', 'udp-53', 'icmp-8']);
    expect(keys(mergePorts([Port.tcp(80), Port.allTraffic()]))).toEqual(['all']);
    expect(keys(mergePorts([Port.icmpType(8), Port.allIcmp()]))).toEqual(['icmp-all']);
  });
});
