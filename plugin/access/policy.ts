import { forbidden, unauthenticated } from '../errors.js';
import type { Actor, Role } from './actor.js';

/**
 * The one place that decides access. Screens, API, lists, search and exports all ask here.
 * Capabilities are coarse (areas and account administration) in the foundation; later features add
 * object-level checks beside them so every path keeps asking the same module.
 */
export type Capability =
  | 'portal.use'
  | 'agent.use'
  | 'admin.use'
  | 'api-token.own'
  | 'api-token.manage'
  | 'agent-account.manage'
  | 'audit.read'
  | 'audit.read-own-customer'
  | 'customer.read'
  | 'customer.manage'
  | 'customer-user.read'
  | 'customer-user.manage'
  | 'customer-user.anonymise'
  | 'field-map.manage'
  | 'profile.own'
  | 'group.read'
  | 'group.manage'
  | 'service.read'
  | 'service.manage'
  | 'assignment.manage'
  | 'faq.read-internal'
  | 'faq.write'
  | 'faq.approve'
  | 'faq.category.manage'
  | 'queue.manage'
  | 'delegation.manage'
  | 'delegation.read-all'
  | 'deputy.manage';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'agent.use', 'admin.use', 'api-token.own', 'api-token.manage', 'agent-account.manage', 'audit.read',
    'customer.read', 'customer.manage', 'customer-user.read', 'customer-user.manage', 'customer-user.anonymise',
    'field-map.manage', 'group.read', 'group.manage', 'service.read', 'service.manage', 'assignment.manage',
    'faq.read-internal', 'faq.write', 'faq.approve', 'faq.category.manage', 'queue.manage', 'delegation.read-all',
  ],
  // Agents read customers and their users; changing them is an admin's (or a delegated form's) job.
  // Agents write the FAQ and approve each other's articles (never their own: see faq-access.ts).
  agent: ['agent.use', 'api-token.own', 'customer.read', 'customer-user.read', 'group.read', 'service.read', 'faq.read-internal', 'faq.write', 'faq.approve'],
  customer: ['portal.use', 'profile.own'],
  // Key users read their own customers' users (scoped below); they change them through delegated forms.
  // Key users grant delegations into their customer (never from a delegated session: see plugin/delegation/).
  'key-user': ['portal.use', 'profile.own', 'customer.read', 'customer-user.read', 'delegation.manage', 'deputy.manage', 'audit.read-own-customer'],
  manager: ['portal.use', 'profile.own', 'deputy.manage'],
};

export function can(actor: Actor | null | undefined, capability: Capability): boolean {
  if (!actor) return false;
  return actor.roles.some((role) => GRANTS[role].includes(capability));
}

/** Throws 401 for nobody and 403 for somebody without the capability; returns the actor otherwise. */
export function requireCapability(actor: Actor | null | undefined, capability: Capability): Actor {
  if (!actor) throw unauthenticated();
  if (!can(actor, capability)) throw forbidden();
  return actor;
}

/** The area a person lands in after login. */
export function homePathFor(actor: Actor): '/admin' | '/agent' | '/portal' {
  if (can(actor, 'admin.use')) return '/admin';
  if (can(actor, 'agent.use')) return '/agent';
  return '/portal';
}

/**
 * Which customers' data an actor may read: everything (staff), some customers exactly (key users, and a
 * customer's own companies), or nothing. Lists, search, export and detail all filter through this.
 */
export type CustomerScope = { kind: 'all' } | { kind: 'customers'; customerIds: string[] };

/** Tenant of the request: the organisation the person works in right now (a delegation changes it). */
export const workingCustomerIds = (actor: Actor): string[] =>
  actor.effectiveCustomerId !== null && actor.effectiveCustomerId !== actor.customerId
    ? [actor.effectiveCustomerId]
    : actor.customerIds;

export function customerScope(actor: Actor): CustomerScope {
  requireCapability(actor, 'customer.read');
  if (actor.kind !== 'customer') return { kind: 'all' };
  const working = workingCustomerIds(actor);
  return { kind: 'customers', customerIds: actor.keyUserOf.filter((id) => working.includes(id)) };
}

/** Customer users an actor may read; a customer user without key-user rights reads only themself. */
export type CustomerUserScope = CustomerScope & { selfId: number | null };

export function customerUserScope(actor: Actor): CustomerUserScope {
  const selfId = actor.principal.type === 'customer-user' ? actor.principal.id : null;
  if (!can(actor, 'customer-user.read')) {
    if (selfId === null) throw forbidden();
    return { kind: 'customers', customerIds: [], selfId };
  }
  return { ...customerScope(actor), selfId };
}

/** Exact comparison of customer IDs: `1` never matches `12`, `Acme` never matches `acme`. */
export function scopeAllows(
  scope: CustomerUserScope,
  target: { id: number | null; customerId: string; customerIds: readonly string[] },
): boolean {
  if (scope.kind === 'all') return true;
  if (scope.selfId !== null && target.id === scope.selfId) return true;
  return [target.customerId, ...target.customerIds].some((id) => scope.customerIds.includes(id));
}

export function customerScopeAllows(scope: CustomerScope, customerId: string): boolean {
  return scope.kind === 'all' || scope.customerIds.includes(customerId);
}

/**
 * Object-level access through groups (queues and FAQ categories belong to groups): `ro` to see,
 * `create` to file, `rw` to change; `rw` implies every type. Admins hold every group. The actor's
 * permissions are computed afresh on every request, so a revocation counts from the next one.
 */
export function hasGroupPermission(actor: Actor | null | undefined, group: string, permission: string): boolean {
  if (!actor) return false;
  if (actor.roles.includes('admin')) return true;
  const held = actor.groupPermissions[group] ?? [];
  return held.includes(permission) || held.includes('rw');
}

export function requireGroupPermission(actor: Actor | null | undefined, group: string, permission: string): Actor {
  if (!actor) throw unauthenticated();
  if (!hasGroupPermission(actor, group, permission)) throw forbidden(`You need ${permission} in ${group} for this.`);
  return actor;
}
