import { literal } from '../literal';

/**
 * Tags on every AWS resource Butter creates: a readable Name, and the network and service it
 * belongs to, so people (and `butter service list` on real clouds) can find what Butter made.
 */
export function awsTags(network: string, service?: string, role?: string): Record<string, string> {
  const name = [network, service, role].filter(Boolean).join('-');
  // Names are text in Terraform JSON, never expressions (see ../literal.ts).
  return {
    Name: literal(name),
    'butter:network': literal(network),
    ...(service ? { 'butter:service': literal(service) } : {}),
  };
}
