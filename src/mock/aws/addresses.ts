import { Cloud } from '../cloud/cloud';
import { awsError } from './common';
import { containsIp, ipToNumber, lowestFreeAddress, parseCidr } from './cidr';
import { InstanceRecord, Kind, NatGatewayRecord, SubnetRecord } from './model';

/**
 * Sources of the rules in this file (each check follows its documentation):
 * - the first four and the last address of a subnet are reserved: Amazon VPC User Guide, Subnet CIDR blocks
 * - a full subnet (InsufficientFreeAddressesInSubnet), an address outside the subnet or in use (InvalidIPAddress.InUse): Amazon EC2 API Reference, RunInstances / CreateNatGateway (PrivateIpAddress) and Error codes
 */

/**
 * Private addresses inside subnets. Everything with a network interface in a subnet (instances,
 * NAT gateways) holds one address; an address is free again once its holder is gone, and the
 * lowest free one is handed out next (AWS picks any free address; lowest-first keeps tests
 * readable). The five addresses AWS reserves in every subnet are never handed out.
 */

/** The private addresses in use in a subnet. */
export function usedAddresses(cloud: Cloud, subnetId: string): Set<string> {
  return new Set([
    ...cloud.list<InstanceRecord>(Kind.instance, (i) => i.subnet_id === subnetId).map((i) => i.private_ip),
    ...cloud.list<NatGatewayRecord>(Kind.natGateway, (n) => n.subnet_id === subnetId).map((n) => n.private_ip),
  ]);
}

/** The next free address of a subnet, or EC2's error when it is full. */
export function allocatePrivateIp(cloud: Cloud, subnet: SubnetRecord): string {
  const cidr = parseCidr(subnet.cidr_block);
  const ip = cidr ? lowestFreeAddress(cidr, usedAddresses(cloud, subnet.id)) : null;
  if (!ip) {
    throw awsError('InsufficientFreeAddressesInSubnet',
      `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`);
  }
  return ip;
}

/** Check an address asked for explicitly (`private_ip`): inside the subnet, not reserved, free. */
export function claimPrivateIp(cloud: Cloud, subnet: SubnetRecord, ip: string, path: (string | number)[]): string {
  const cidr = parseCidr(subnet.cidr_block);
  if (!cidr || !containsIp(cidr, ip)) {
    throw awsError('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`, path);
  }
  const offset = ipToNumber(ip) - cidr.base;
  if (offset < 4 || offset === cidr.size - 1) {
    throw awsError('InvalidParameterValue', `Address ${ip} is reserved by AWS in subnet ${subnet.id}`, path);
  }
  if (usedAddresses(cloud, subnet.id).has(ip)) {
    throw awsError('InvalidIPAddress.InUse', `Address ${ip} is in use.`, path);
  }
  return ip;
}
