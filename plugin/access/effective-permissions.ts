/**
 * Effective permissions of a customer user, with the reason for every cell. Pure: the inputs are what
 * the stores hold (only valid groups and services), the output is what screens and API show and what
 * the policy module decides on.
 *
 * Groups: the union of the user's own grants, those of each of their customers, the defaults for
 * all customer users and for all customers, and (for directory users) what their directory groups map to. `rw` implies every other type (the implied cells say so).
 * Services: the union of the default services, each customer's, each group's (for groups the user holds
 * any permission in) and the user's own. OTOBO applies default services only when a user has none of
 * their own; here they always add up, and each entitlement says where it comes from.
 */
export const STRONGEST = 'rw';

export interface GroupGrant {
  group: string;
  permission: string;
}

export type DefaultScope = 'customer-users' | 'customers';

/** A grant from a directory backend's group mapping: the user is a member of `ldapGroupDn`. */
export interface DirectoryGrant extends GroupGrant {
  backend: string;
  ldapGroupDn: string;
}

export type GroupReason = (
  | { source: 'direct' }
  | { source: 'customer'; customerId: string }
  | { source: 'default'; scope: DefaultScope }
  | { source: 'delegation'; delegationId: number }
  | { source: 'directory'; backend: string; ldapGroupDn: string }
) & { impliedBy?: string };

export type ServiceReason =
  | { source: 'direct' }
  | { source: 'customer'; customerId: string }
  | { source: 'group'; group: string }
  | { source: 'default' }
  | { source: 'form-run'; runId: number };

export interface PermissionInputs {
  /** Every permission type, weakest first (the order cells are listed in). */
  permissionTypes: readonly string[];
  direct: readonly GroupGrant[];
  byCustomer: readonly { customerId: string; grants: readonly GroupGrant[] }[];
  defaults: readonly { scope: DefaultScope; grants: readonly GroupGrant[] }[];
  /** Grants from directory group membership (absent: none). */
  directory?: readonly DirectoryGrant[];
  services: {
    direct: readonly string[];
    byCustomer: readonly { customerId: string; services: readonly string[] }[];
    byGroup: readonly { group: string; services: readonly string[] }[];
    defaults: readonly string[];
    /** The user's own services that a form run assigned (absent: none); their reason names the run. */
    formRuns?: readonly { service: string; runId: number }[];
  };
}

export interface EffectivePermissions {
  groups: { group: string; permission: string; reasons: GroupReason[] }[];
  services: { service: string; reasons: ServiceReason[] }[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function computeEffectivePermissions(input: PermissionInputs): EffectivePermissions {
  const cells = new Map<string, { group: string; permission: string; reasons: GroupReason[] }>();
  const add = (grant: GroupGrant, reason: GroupReason) => {
    const key = `${grant.group}\u0000${grant.permission}`;
    const cell = cells.get(key) ?? { group: grant.group, permission: grant.permission, reasons: [] };
    cell.reasons.push(reason);
    cells.set(key, cell);
  };
  const grantAll = (grants: readonly GroupGrant[], reason: GroupReason) => {
    for (const grant of grants) {
      add(grant, reason);
      if (grant.permission !== STRONGEST) continue;
      for (const implied of input.permissionTypes) {
        if (implied !== STRONGEST) add({ group: grant.group, permission: implied }, { ...reason, impliedBy: STRONGEST });
      }
    }
  };
  grantAll(input.direct, { source: 'direct' });
  for (const { customerId, grants } of input.byCustomer) grantAll(grants, { source: 'customer', customerId });
  for (const { scope, grants } of input.defaults) grantAll(grants, { source: 'default', scope });
  for (const { backend, ldapGroupDn, ...grant } of input.directory ?? []) grantAll([grant], { source: 'directory', backend, ldapGroupDn });

  const rank = new Map(input.permissionTypes.map((t, i) => [t, i]));
  const groups = [...cells.values()].sort((a, b) => byName(a.group, b.group) || (rank.get(a.permission) ?? 0) - (rank.get(b.permission) ?? 0));

  const entitled = new Map<string, ServiceReason[]>();
  const entitle = (services: readonly string[], reason: ServiceReason) => {
    for (const service of services) entitled.set(service, [...(entitled.get(service) ?? []), reason]);
  };
  const byRun = new Map((input.services.formRuns ?? []).map((r) => [r.service, r.runId]));
  for (const service of input.services.direct) {
    const runId = byRun.get(service);
    entitle([service], runId === undefined ? { source: 'direct' } : { source: 'form-run', runId });
  }
  for (const { customerId, services } of input.services.byCustomer) entitle(services, { source: 'customer', customerId });
  const heldGroups = new Set(groups.map((g) => g.group));
  for (const { group, services } of input.services.byGroup) if (heldGroups.has(group)) entitle(services, { source: 'group', group });
  entitle(input.services.defaults, { source: 'default' });
  const services = [...entitled.entries()].map(([service, reasons]) => ({ service, reasons })).sort((a, b) => byName(a.service, b.service));

  return { groups, services };
}

/** Group → permissions held, for the policy module's quick checks. */
export function permissionIndex(effective: EffectivePermissions): Record<string, string[]> {
  const index: Record<string, string[]> = {};
  for (const { group, permission } of effective.groups) (index[group] ??= []).push(permission);
  return index;
}
