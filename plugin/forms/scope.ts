import type { Actor } from '../access/actor.js';
import { hasGroupPermission, workingCustomerIds } from '../access/policy.js';
import { customerUserName, type CustomerUserRecord } from '../customers/backends/backend.js';
import { LoketError, notFound } from '../errors.js';
import type { Audience, FormDefinition } from './definition.js';
import type { ScopeStore } from './scope-store.js';

/**
 * The ONE place that decides who may use a form on whom. Every path (form list, target picker,
 * choices, submit, execution) asks here, always about the STORED user: a request only names a
 * target by login or customer ID, and nothing else it sends counts.
 *
 * - agent (rw in one of the form's agentGroups) → customer users holding any permission in one of
 *   those groups (direct, via their customers, defaults, directory: the effective permissions);
 * - key user → users whose primary or extra customer is one they are key user of;
 * - manager → their direct reports, and those of the managers they stand in for as holiday deputy
 *   (actor.deputyFor, read on every request, so it ends on time); customer → themselves. Admins: every form on anybody.
 * The union over the requester's roles that are in the form's audience.
 */
export const outOfScope = (what = 'This target is outside what you may act on with this form.'): LoketError =>
  new LoketError({ status: 403, code: 'out_of_scope', message: what, field: 'target' });

export interface ScopeDeps {
  store: ScopeStore;
  permissionIndexFor(user: CustomerUserRecord): Promise<Record<string, string[]>>;
  users: {
    findById(id: number): Promise<CustomerUserRecord | null>;
    /** Users of these customers (null: everybody) matching the words, at most `limit`. */
    search(search: string | undefined, customerIds: string[] | null, limit: number): Promise<CustomerUserRecord[]>;
  };
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');

/** Customers a key user acts for right now (a delegation narrows it to the organisation worked in). */
export const keyUserCustomers = (actor: Actor): string[] => {
  const working = workingCustomerIds(actor);
  return actor.keyUserOf.filter((id) => working.includes(id));
};

/**
 * Managers whose reports the actor acts on: themself, and the managers they are deputy of right now
 * (none while working in another organisation: a delegated actor has no deputyFor).
 */
export const managersActedFor = (actor: Actor): number[] =>
  actor.principal.type === 'customer-user' ? [actor.principal.id, ...actor.deputyFor.filter((g) => g.manager).map((g) => g.principalId)] : [];

/** Agent groups of the form in which the actor holds rw (what makes an agent a user of the form). */
export const agentGroupsOf = (actor: Actor, form: FormDefinition): string[] =>
  actor.principal.type === 'agent' ? form.agentGroups.filter((g) => hasGroupPermission(actor, g, 'rw')) : [];

/** The actor's roles that the form's audience names (admins are handled apart). */
export function rolesFor(actor: Actor, form: FormDefinition): Audience[] {
  const roles: Audience[] = [];
  if (form.audience.includes('agent') && actor.roles.includes('agent') && !isAdmin(actor) && agentGroupsOf(actor, form).length) roles.push('agent');
  if (actor.principal.type === 'customer-user') {
    if (form.audience.includes('key-user') && keyUserCustomers(actor).length) roles.push('key-user');
    if (form.audience.includes('manager') && actor.roles.includes('manager')) roles.push('manager');
    if (form.audience.includes('customer')) roles.push('customer');
  }
  return roles;
}

export const mayUse = (actor: Actor, form: FormDefinition): boolean => isAdmin(actor) || rolesFor(actor, form).length > 0;

export const displayName = customerUserName;

const matches = (user: CustomerUserRecord, search: string | undefined): boolean => {
  if (!search?.trim()) return true;
  const text = `${user.login} ${user.email} ${displayName(user)}`.toLowerCase();
  return search.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
};

export function createScope(deps: ScopeDeps) {
  /** Is this stored customer user a target of the form for the actor? */
  async function userInScope(actor: Actor, form: FormDefinition, user: CustomerUserRecord): Promise<boolean> {
    if (isAdmin(actor)) return true;
    for (const role of rolesFor(actor, form)) {
      switch (role) {
        case 'customer':
          if (actor.principal.type === 'customer-user' && user.id === actor.principal.id) return true;
          break;
        case 'manager':
          if (user.managerId !== null && managersActedFor(actor).includes(user.managerId)) return true;
          break;
        case 'key-user': {
          const mine = keyUserCustomers(actor);
          if ([user.customerId, ...user.customerIds].some((id) => mine.includes(id))) return true;
          break;
        }
        case 'agent': {
          const held = await deps.permissionIndexFor(user);
          if (agentGroupsOf(actor, form).some((g) => (held[g] ?? []).length > 0)) return true;
          break;
        }
      }
    }
    return false;
  }

  function customerInScope(actor: Actor, form: FormDefinition, customerId: string): boolean {
    if (isAdmin(actor)) return true;
    return rolesFor(actor, form).includes('key-user') && keyUserCustomers(actor).includes(customerId);
  }

  /** Candidates for the picker (a superset from SQL and search), each decided by userInScope. */
  async function usersInScope(actor: Actor, form: FormDefinition, opts: { search?: string | undefined; limit: number }): Promise<CustomerUserRecord[]> {
    const roles = rolesFor(actor, form);
    let everybody = isAdmin(actor);
    const customerIds = new Set<string>();
    const ids = new Set<number>();
    for (const role of roles) {
      if (role === 'customer' && actor.principal.type === 'customer-user') ids.add(actor.principal.id);
      if (role === 'manager') for (const manager of managersActedFor(actor)) for (const id of await deps.store.reportIds(manager)) ids.add(id);
      if (role === 'key-user') for (const id of keyUserCustomers(actor)) customerIds.add(id);
      if (role === 'agent') {
        const groups = agentGroupsOf(actor, form);
        if (await deps.store.defaultsHold(groups)) everybody = true;
        for (const id of await deps.store.customersHolding(groups)) customerIds.add(id);
        for (const id of await deps.store.userIdsHolding(groups)) ids.add(id);
      }
    }
    const found = new Map<number, CustomerUserRecord>();
    const cap = Math.max(opts.limit * 5, 500);
    if (everybody || customerIds.size) {
      for (const user of await deps.users.search(opts.search, everybody ? null : [...customerIds], cap)) found.set(user.id, user);
    }
    for (const id of [...ids].slice(0, cap)) {
      if (found.has(id)) continue;
      const user = await deps.users.findById(id);
      if (user && matches(user, opts.search)) found.set(user.id, user);
    }
    const decided: CustomerUserRecord[] = [];
    for (const user of [...found.values()].sort((a, b) => (a.login < b.login ? -1 : 1))) {
      if (decided.length >= opts.limit) break;
      if (await userInScope(actor, form, user)) decided.push(user);
    }
    return decided;
  }

  /** Customers the actor may pick as a whole-customer target. */
  async function customersInScope(actor: Actor, form: FormDefinition): Promise<{ customerId: string; name: string }[]> {
    return deps.store.customers(isAdmin(actor) ? null : rolesFor(actor, form).includes('key-user') ? keyUserCustomers(actor) : []);
  }

  /** The form must be usable by the actor; otherwise it does not exist for them. */
  function requireUse(actor: Actor, form: FormDefinition, validity: 'valid' | 'invalid'): void {
    if (!mayUse(actor, form) || (validity !== 'valid' && !isAdmin(actor))) throw notFound('No such form.');
  }

  return { userInScope, customerInScope, usersInScope, customersInScope, requireUse, rolesFor, mayUse };
}

export type Scope = ReturnType<typeof createScope>;
