import type { Actor } from './actor.js';
import { requireCapability } from './policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { CustomerService } from '../customers/customer-service.js';
import type { CustomerUserService } from '../customers/customer-user-service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { LoketError, ruleViolation } from '../errors.js';
import type { CatalogueStore, ServiceOwner } from './catalogue/store.js';
import { createNameChecks } from './assignment-names.js';
import { createEffectiveInputs, type PermissionPreview } from './effective-inputs.js';
import { computeEffectivePermissions, type DefaultScope, type EffectivePermissions, type GroupGrant } from './effective-permissions.js';
import type { GroupAssignments, ServiceAssignments } from './groups/schema.js';
import type { GrantOwner, GroupStore } from './groups/store.js';

/** Whose assignments a request is about, as named in paths: a login, a customer ID, a group, or everybody. */
export type AssignmentTarget =
  | { kind: 'customer-user'; login: string }
  | { kind: 'customer'; customerId: string }
  | { kind: 'group'; name: string }
  | { kind: 'default'; scope: DefaultScope };



/** `[{group, permission}]` ↔ the API's `[{ group, permissions: [] }]`. */
export function groupedGrants(grants: readonly GroupGrant[]): GroupAssignments['groups'] {
  const byGroup = new Map<string, string[]>();
  for (const g of grants) byGroup.set(g.group, [...(byGroup.get(g.group) ?? []), g.permission]);
  return [...byGroup.entries()].map(([group, permissions]) => ({ group, permissions }));
}

export function createAssignmentService(deps: {
  groups: GroupStore;
  catalogue: CatalogueStore;
  customerUsers: Pick<CustomerUserService, 'get' | 'findByLogin'>;
  customers: Pick<CustomerService, 'get'>;
  audit: AuditService;
  transaction: RunInTransaction;
}) {
  const names = createNameChecks({ groups: deps.groups, catalogue: deps.catalogue });
  const { checkGroups, checkServices } = names;
  const { inputsFor, permissionIndexFor, memberIndexFor, entitledServices } = createEffectiveInputs({ groups: deps.groups, catalogue: deps.catalogue, names });

  /** Reading needs sight of the target (tenant scope for users and customers), writing needs assignment.manage. */
  async function resolve(actor: Actor, target: AssignmentTarget, write: boolean): Promise<{ group: GrantOwner | null; service: ServiceOwner; label: [string, string] }> {
    if (write) requireCapability(actor, 'assignment.manage');
    switch (target.kind) {
      case 'customer-user': {
        const user = await deps.customerUsers.get(actor, target.login);
        return { group: { kind: 'customer-user', id: user.id }, service: { kind: 'customer-user', id: user.id }, label: ['customer-user', user.login] };
      }
      case 'customer': {
        const customer = await deps.customers.get(actor, target.customerId);
        return { group: { kind: 'customer', customerId: customer.customerId }, service: { kind: 'customer', customerId: customer.customerId }, label: ['customer', customer.customerId] };
      }
      case 'group': {
        requireCapability(actor, 'group.read');
        const group = await deps.groups.groups.findByName(target.name);
        if (!group) throw ruleViolation(`There is no group ${target.name}.`, 'group', 'unknown_group');
        return { group: null, service: { kind: 'group', groupId: group.id }, label: ['group', group.name] };
      }
      default:
        requireCapability(actor, 'group.read');
        return { group: { kind: 'default', scope: target.scope }, service: { kind: 'default' }, label: ['defaults', target.scope] };
    }
  }

  async function customerExists(actor: Actor, customerId: string): Promise<boolean> {
    try {
      await deps.customers.get(actor, customerId);
      return true;
    } catch (err) {
      if (err instanceof LoketError && err.status === 404) return false;
      throw err;
    }
  }

  return {
    /** For the session: group → permissions, computed afresh on every request. */
    permissionIndexFor,
    /** What a member of a customer holds by customer grants and defaults (delegated sessions intersect with it). */
    memberIndexFor,
    /** Entitled service names of one user; no access check (ticket forms and checks decide). */
    entitledServices,

    async effective(actor: Actor, login: string): Promise<EffectivePermissions> {
      const user = await deps.customerUsers.get(actor, login);
      return computeEffectivePermissions(await inputsFor(user));
    },

    /** The same computation over unsaved changes; nothing is written. */
    async preview(actor: Actor, login: string, changes: PermissionPreview): Promise<EffectivePermissions> {
      requireCapability(actor, 'assignment.manage');
      const user = await deps.customerUsers.get(actor, login);
      // A mistyped customer ID would quietly preview nothing from it; name it like an unknown group.
      for (const [i, customerId] of (changes.customerIds ?? []).entries()) {
        if (!(await customerExists(actor, customerId))) throw ruleViolation(`customerIds.${i}: there is no customer ${customerId}.`, `customerIds.${i}`, 'unknown_customer');
      }
      return computeEffectivePermissions(await inputsFor(user, changes));
    },

    async groupsOf(actor: Actor, target: AssignmentTarget): Promise<GroupAssignments> {
      const owner = (await resolve(actor, target, false)).group;
      if (!owner) throw ruleViolation('Groups are not assigned to groups.', undefined, 'not_supported');
      return { groups: groupedGrants(await deps.groups.ownGrants(owner)) };
    },

    /** Replaces the whole set, in one transaction, audited with before and after. */
    async setGroups(actor: Actor, target: AssignmentTarget, input: GroupAssignments, subject: AuditSubject): Promise<GroupAssignments> {
      const { group: owner, label } = await resolve(actor, target, true);
      if (!owner) throw ruleViolation('Groups are not assigned to groups.', undefined, 'not_supported');
      return deps.transaction(async (tx) => {
        const grants = await checkGroups(input.groups, tx);
        const before = groupedGrants(await deps.groups.ownGrants(owner, tx));
        await deps.groups.replaceGrants(owner, grants, tx);
        const after = groupedGrants(await deps.groups.ownGrants(owner, tx));
        await deps.audit.record(subject, { action: `${label[0]}.groups`, objectType: label[0], objectId: label[1], before: { groups: before }, after: { groups: after } }, tx);
        return { groups: after };
      });
    },

    async servicesOf(actor: Actor, target: AssignmentTarget): Promise<ServiceAssignments> {
      const { service } = await resolve(actor, target, false);
      return { services: await deps.catalogue.assignedTo(service) };
    },

    async setServices(actor: Actor, target: AssignmentTarget, input: ServiceAssignments, subject: AuditSubject): Promise<ServiceAssignments> {
      const resolved = await resolve(actor, target, true);
      const owner = resolved.service;
      // Default services are one list for everybody, whatever scope the target named.
      const label: [string, string] = owner.kind === 'default' ? ['defaults', 'services'] : resolved.label;
      return deps.transaction(async (tx) => {
        const services = await checkServices(input.services, tx);
        const before = await deps.catalogue.assignedTo(owner, tx);
        await deps.catalogue.replace(owner, services.map((s) => s.id), tx);
        const after = await deps.catalogue.assignedTo(owner, tx);
        await deps.audit.record(subject, { action: `${label[0]}.services`, objectType: label[0], objectId: label[1], before: { services: before }, after: { services: after } }, tx);
        return { services: after };
      });
    },

    /** The group → members matrix, one page of customer users or customers with their permissions. */
    async members(actor: Actor, groupName: string, kind: 'customer-user' | 'customer', page: { limit: number; offset: number; search?: string | undefined }) {
      requireCapability(actor, 'group.read');
      const group = await deps.groups.groups.findByName(groupName);
      if (!group) throw ruleViolation(`There is no group ${groupName}.`, 'group', 'unknown_group');
      return { ...(await deps.groups.members(group.id, kind, page)), limit: page.limit };
    },

    /** Bulk change from the matrix: every listed member gets exactly these permissions; one transaction. */
    async setMembers(
      actor: Actor,
      groupName: string,
      changes: readonly { customerUser?: string | undefined; customer?: string | undefined; permissions: string[] }[],
      subject: AuditSubject,
    ): Promise<number> {
      requireCapability(actor, 'assignment.manage');
      const types = new Set((await deps.groups.permissionTypes()).map((t) => t.name));
      const owners: { owner: GrantOwner; key: string; permissions: string[] }[] = [];
      for (const [i, change] of changes.entries()) {
        const unknown = change.permissions.find((p) => !types.has(p));
        if (unknown !== undefined) throw ruleViolation(`changes.${i}.permissions: there is no permission type ${unknown}.`, `changes.${i}.permissions`, 'unknown_permission');
        if (change.customerUser !== undefined) {
          const user = await deps.customerUsers.findByLogin(change.customerUser);
          if (!user) throw ruleViolation(`changes.${i}.customerUser: there is no customer user ${change.customerUser}.`, `changes.${i}.customerUser`, 'unknown_customer_user');
          owners.push({ owner: { kind: 'customer-user', id: user.id }, key: `customer-user:${user.login}`, permissions: [...new Set(change.permissions)] });
        } else if (change.customer !== undefined) {
          if (!(await customerExists(actor, change.customer))) throw ruleViolation(`changes.${i}.customer: there is no customer ${change.customer}.`, `changes.${i}.customer`, 'unknown_customer');
          owners.push({ owner: { kind: 'customer', customerId: change.customer }, key: `customer:${change.customer}`, permissions: [...new Set(change.permissions)] });
        } else {
          throw ruleViolation(`changes.${i}: name a customerUser or a customer.`, `changes.${i}`, 'no_member');
        }
      }
      return deps.transaction(async (tx) => {
        const group = await deps.groups.groups.findByName(groupName, tx);
        if (!group) throw ruleViolation(`There is no group ${groupName}.`, 'group', 'unknown_group');
        for (const { owner, permissions } of owners) await deps.groups.setMemberPermissions(owner, group.id, permissions, tx);
        await deps.audit.record(subject, { action: 'group.members', objectType: 'group', objectId: group.name, after: { members: owners.map((o) => ({ member: o.key, permissions: o.permissions })) } }, tx);
        return owners.length;
      });
    },
  };
}

export type AssignmentService = ReturnType<typeof createAssignmentService>;
