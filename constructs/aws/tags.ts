/**
 * Tags on every AWS resource Butter creates: a readable Name, and the network and service it
 * belongs to, so people (and `butter service list` on real clouds) can find what Butter made.
 */
export function awsTags(network: string, service?: string, role?: string): Record<string, string> {
  const name = [network, service, role].filter(Boolean).join('-');
  return {
    Name: name,
    'butter:network': network,
    ...(service ? { 'butter:service': service } : {}),
  };
}
