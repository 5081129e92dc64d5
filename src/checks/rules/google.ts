import { CheckedResource, CheckedStack, blocks, boolOf, isExpression, isObject } from '../stack';
import type { Rule, Violation } from '../types';
import { isPublicCidr, strings, violation } from './common';

/** What makes VMs: instance templates (global and regional) and instances. */
const VM_TYPES = [
  'google_compute_instance_template',
  'google_compute_region_instance_template',
  'google_compute_instance',
  'google_compute_instance_from_template',
];
/** Instances made from a template: what they leave out, the template gives them. */
const FROM_TEMPLATE = 'google_compute_instance_from_template';
/** Managed instance groups, whose `all_instances_config.metadata` overrides the template's. */
const GROUP_TYPES = ['google_compute_instance_group_manager', 'google_compute_region_instance_group_manager'];

function vms(stack: CheckedStack): CheckedResource[] {
  return VM_TYPES.flatMap((t) => stack.all(t));
}

/** The metadata map of a VM resource, or of a group's all_instances_config. */
function metadataOf(r: CheckedResource): Record<string, unknown> | undefined {
  if (GROUP_TYPES.includes(r.type)) {
    const m = blocks(r.attributes.all_instances_config)[0]?.metadata;
    return isObject(m) ? m : undefined;
  }
  return isObject(r.attributes.metadata) ? r.attributes.metadata : undefined;
}

/**
 * A metadata flag rule: VMs must set `key` to `want` (true/false); leaving it out leaves it to
 * the project's metadata (reported at `missingSeverity`, or not at all when undefined); a
 * group's all_instances_config overriding it the wrong way is a finding too.
 */
function metadataFlag(key: string, want: boolean, missing: 'low' | 'medium' | undefined, what: string) {
  return (stack: CheckedStack): Violation[] => {
    const out: Violation[] = [];
    const blueprintKey = `instance.google.${key === 'enable-oslogin' ? 'os_login' : key === 'block-project-ssh-keys' ? 'block_project_ssh_keys' : 'serial_port'}`;
    for (const r of [...vms(stack), ...GROUP_TYPES.flatMap((t) => stack.all(t))]) {
      const meta = metadataOf(r);
      const raw = meta?.[key];
      if (isExpression(raw)) continue;
      const value = boolOf(raw);
      if (value === want) continue;
      if (value === undefined) {
        // Groups and instances from templates inherit the template's metadata: no override is fine.
        if (GROUP_TYPES.includes(r.type) || r.type === FROM_TEMPLATE || missing === undefined) continue;
        out.push(violation(r, `${r.address} leaves ${what} to the project's metadata (${key} not set)`, { severity: missing, blueprintKey }));
      } else {
        out.push(violation(r, `${r.address} sets ${key} = ${String(raw)}${GROUP_TYPES.includes(r.type) ? ' for every instance of the group' : ''}: ${what} ${want ? 'off' : 'on'}`, { blueprintKey }));
      }
    }
    return out;
  };
}

/** BUTTER-GCP-001: OS Login on. */
export const osLogin: Rule = {
  id: 'BUTTER-GCP-001',
  severity: 'high',
  title: 'VMs use OS Login',
  description: 'With OS Login, SSH access follows IAM (revoked with the user, audited); without it, access is whatever SSH keys sit in metadata.',
  fix: 'set metadata enable-oslogin = "TRUE" (Butter\'s default; instance.google.os_login in a blueprint)',
  references: { checkov: ['CKV_GCP_34'], trivy: ['google-compute-no-oslogin-override'] },
  check: metadataFlag('enable-oslogin', true, 'medium', 'OS Login'),
};

/** BUTTER-GCP-002: project-wide SSH keys blocked. */
export const projectSshKeys: Rule = {
  id: 'BUTTER-GCP-002',
  severity: 'high',
  title: 'VMs block project-wide SSH keys',
  description: 'A project-wide SSH key opens every instance of the project that does not block it: one leaked key reaches them all.',
  fix: 'set metadata block-project-ssh-keys = "TRUE" (Butter\'s default; instance.google.block_project_ssh_keys)',
  references: { checkov: ['CKV_GCP_32'], trivy: ['AVD-GCP-0030', 'google-compute-no-project-wide-ssh-keys'] },
  check: metadataFlag('block-project-ssh-keys', true, 'medium', 'blocking project-wide SSH keys'),
};

/** BUTTER-GCP-003: serial port access off. */
export const serialPort: Rule = {
  id: 'BUTTER-GCP-003',
  severity: 'high',
  title: 'VMs do not accept serial port connections',
  description: 'The interactive serial console accepts connections from any address and is not governed by firewall rules.',
  fix: 'set metadata serial-port-enable = "FALSE" (Butter\'s default; instance.google.serial_port)',
  references: { checkov: ['CKV_GCP_35'], trivy: ['google-compute-no-serial-port'] },
  check: metadataFlag('serial-port-enable', false, 'low', 'the serial port'),
};

/** BUTTER-GCP-004: Shielded VM. */
export const shieldedVm: Rule = {
  id: 'BUTTER-GCP-004',
  severity: 'medium',
  title: 'VMs are Shielded VMs (secure boot, vTPM, integrity monitoring)',
  description: 'Shielded VM verifies the boot chain and measures it, so rootkits and bootkits are refused or detected.',
  fix: 'set shielded_instance_config { enable_secure_boot = true, enable_vtpm = true, enable_integrity_monitoring = true } (Butter\'s templates do)',
  references: { checkov: ['CKV_GCP_39'], trivy: ['google-compute-enable-shielded-vm-vtpm', 'google-compute-enable-shielded-vm-im'] },
  check: (stack) => vms(stack).flatMap((r) => {
    if (r.type === FROM_TEMPLATE && r.attributes.shielded_instance_config === undefined) return []; // the template's
    const c = blocks(r.attributes.shielded_instance_config)[0] ?? {};
    // Google's defaults: secure boot off, vTPM and integrity monitoring on.
    const off = [
      ['secure boot', c.enable_secure_boot, false],
      ['vTPM', c.enable_vtpm, true],
      ['integrity monitoring', c.enable_integrity_monitoring, true],
    ].filter(([, v, dflt]) => !isExpression(v) && (boolOf(v) ?? dflt) !== true).map(([name]) => name);
    return off.length > 0 ? [violation(r, `${r.address}: Shielded VM ${off.join(', ')} off`)] : [];
  }),
};

const DEFAULT_ACCOUNT = /^\d+-compute@developer\.gserviceaccount\.com$/;
const FULL_SCOPE = /^(https:\/\/www\.googleapis\.com\/auth\/)?cloud-platform$/;

/** BUTTER-GCP-005: not the default service account with the cloud-platform scope. */
export const defaultServiceAccount: Rule = {
  id: 'BUTTER-GCP-005',
  severity: 'high',
  title: 'VMs do not run as the default service account with full API access',
  description: 'The Compute Engine default service account has the Editor role on the project; with the cloud-platform scope, anything on the VM can change almost anything in the project.',
  fix: 'attach a dedicated service account with only the roles it needs, or none (Butter attaches none)',
  references: { checkov: ['CKV_GCP_30', 'CKV_GCP_31'], trivy: ['AVD-GCP-0044', 'google-compute-no-default-service-account'] },
  check: (stack) => vms(stack).flatMap((r) => blocks(r.attributes.service_account).flatMap((sa) => {
    const email = sa.email;
    if (isExpression(email)) return [];
    const isDefault = email === undefined || email === null || email === 'default' || (typeof email === 'string' && DEFAULT_ACCOUNT.test(email));
    if (!isDefault) return [];
    const full = strings(sa.scopes).some((s) => FULL_SCOPE.test(s));
    return [violation(r, `${r.address} runs as the default service account${full ? ' with the cloud-platform scope (full access to every API)' : ''}`, full ? {} : { severity: 'medium' })];
  })),
};

/** BUTTER-GCP-006: firewall allow rules name their targets. */
export const firewallTarget: Rule = {
  id: 'BUTTER-GCP-006',
  severity: 'medium',
  title: 'Firewall allow rules name their targets',
  description: 'An ingress allow rule without target tags or service accounts applies to every instance of the network, including ones added later for other purposes.',
  fix: 'set target_tags (Butter\'s Paths target the destination service\'s tag) or target_service_accounts',
  references: {},
  check: (stack) => stack.all('google_compute_firewall').filter((r) => {
    const a = r.attributes;
    if (a.direction !== undefined && a.direction !== 'INGRESS') return false;
    if (blocks(a.allow).length === 0 || boolOf(a.disabled) === true) return false;
    return !isExpression(a.target_tags) && !isExpression(a.target_service_accounts)
      && strings(a.target_tags).length === 0 && strings(a.target_service_accounts).length === 0;
  }).map((r) => violation(r, `${r.address} allows traffic to every instance of its network (no target_tags or target_service_accounts)`)),
};

/** BUTTER-GCP-007: image lookups name the publishing project. */
export const imageProject: Rule = {
  id: 'BUTTER-GCP-007',
  severity: 'medium',
  title: 'Image lookups name the publishing project',
  description: 'A google_compute_image lookup without project searches the provider\'s project: which image (if any) a family or name finds depends on where the stack is deployed, not on who published it.',
  fix: 'set project to the publisher (ubuntu-os-cloud, debian-cloud ...); in a blueprint, image.project',
  references: {},
  check: (stack) => stack.all('google_compute_image', 'data')
    .filter((r) => r.attributes.project === undefined || r.attributes.project === null || r.attributes.project === '')
    .filter((r) => typeof r.attributes.self_link !== 'string')
    .map((r) => violation(r, `${r.address} looks an image up without project`, { blueprintKey: 'image.project' })),
};

/** BUTTER-GCP-008: subnet flow logs. */
export const subnetFlowLogs: Rule = {
  id: 'BUTTER-GCP-008',
  severity: 'medium',
  title: 'Subnetworks have flow logs',
  description: 'Without VPC flow logs there is no record of the connections instances made or received when an incident has to be investigated.',
  fix: 'add log_config to the subnetwork (in a Butter network blueprint: network.flow_logs: on)',
  references: { checkov: ['CKV_GCP_26'], trivy: ['google-compute-enable-vpc-flow-logs'] },
  check: (stack) => stack.all('google_compute_subnetwork')
    // Proxy-only subnets carry no VM traffic and cannot have flow logs.
    .filter((r) => !['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER'].includes(String(r.attributes.purpose)))
    .filter((r) => blocks(r.attributes.log_config).length === 0 && !isExpression(r.attributes.log_config))
    .map((r) => violation(r, `${r.address} has no flow logs (log_config)`, { blueprintKey: 'network.flow_logs' })),
};

/**
 * BUTTER-GCP-009: external IPs only when the internet is meant to reach the VMs: an access
 * config is by design when an allow rule from a public range targets the VMs' tags.
 */
export const googlePublicIp: Rule = {
  id: 'BUTTER-GCP-009',
  severity: 'medium',
  title: 'VMs have external IPs only when the internet is meant to reach them',
  description: 'An external address on instances that no firewall rule opens to the internet serves no purpose and is one rule away from exposure.',
  fix: 'set instance.public_ip: false in the blueprint (the instances go out through Cloud NAT), or add the Path from the internet the address is for',
  references: { checkov: ['CKV_GCP_40'], trivy: ['AVD-GCP-0031', 'google-compute-no-public-ip'] },
  check: (stack) => {
    const rules = stack.all('google_compute_firewall').filter((f) => (f.attributes.direction ?? 'INGRESS') === 'INGRESS'
      && blocks(f.attributes.allow).length > 0 && strings(f.attributes.source_ranges).some(isPublicCidr));
    const untargeted = rules.some((f) => strings(f.attributes.target_tags).length === 0 && strings(f.attributes.target_service_accounts).length === 0);
    const publicTags = new Set(rules.flatMap((f) => strings(f.attributes.target_tags)));
    return vms(stack).flatMap((r) => {
      const external = blocks(r.attributes.network_interface).some((n) => blocks(n.access_config).length > 0);
      if (!external || untargeted || strings(r.attributes.tags).some((t) => publicTags.has(t))) return [];
      return [violation(r, `${r.address} gives instances an external IP, but no firewall rule admits the internet to them`, { blueprintKey: 'instance.public_ip' })];
    });
  },
};

export const googleRules: readonly Rule[] = [osLogin, projectSshKeys, serialPort, shieldedVm, defaultServiceAccount, firewallTarget, imageProject, subnetFlowLogs, googlePublicIp];
