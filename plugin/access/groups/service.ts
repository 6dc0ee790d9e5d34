import type { Actor } from '../actor.js';
import { requireCapability } from '../policy.js';
import type { AuditService, AuditSubject } from '../../audit/service.js';
import type { RunInTransaction } from '../../db/transaction.js';
import { notFound, ruleViolation } from '../../errors.js';
import { parseInput } from '../../web/validate.js';
import { STRONGEST } from '../effective-permissions.js';
import { groupNameSchema, namedCreateSchema, namedPatchSchema, permissionTypeSchema, serviceNameSchema } from './schema.js';
import type { GroupStore, NamedEntry, NamedListQuery, NamedTable, PermissionType } from './store.js';
import type { CatalogueStore } from '../catalogue/store.js';

const view = (e: NamedEntry) => ({ name: e.name, comment: e.comment, validity: e.validity });

/**
 * Create, change and list named entries (groups, services) with validity instead of deletion, each
 * change audited in the same transaction.
 */
function namedEntries(deps: { table: NamedTable; audit: AuditService; transaction: RunInTransaction }, kind: 'group' | 'service', read: 'group.read' | 'service.read', manage: 'group.manage' | 'service.manage') {
  return {
    async list(actor: Actor, query: NamedListQuery) {
      requireCapability(actor, read);
      return { ...(await deps.table.list(query)), limit: query.limit };
    },

    async get(actor: Actor, name: string): Promise<NamedEntry> {
      requireCapability(actor, read);
      const entry = await deps.table.findByName(name);
      if (!entry) throw notFound(`No ${kind} named ${name}.`);
      return entry;
    },

    async update(actor: Actor, name: string, input: unknown, subject: AuditSubject, expectedVersion?: number): Promise<NamedEntry> {
      requireCapability(actor, manage);
      const { version, ...values } = parseInput(namedPatchSchema, input);
      // A service's name is its place in the tree; renaming would orphan its children's paths.
      if (kind === 'service' && values.name !== undefined) throw ruleViolation('A service keeps its name; create a new one instead.', 'name', 'immutable');
      return deps.transaction(async (tx) => {
        const current = await deps.table.findByName(name, tx);
        if (!current) throw notFound(`No ${kind} named ${name}.`);
        await deps.table.update(current.id, values, expectedVersion ?? version ?? current.version, tx);
        const updated = (await deps.table.findById(current.id, tx))!;
        await deps.audit.record(subject, { action: `${kind}.update`, objectType: kind, objectId: updated.name, before: view(current), after: view(updated) }, tx);
        return updated;
      });
    },
  };
}

/** Groups and permission types. */
export function createGroupService(deps: { store: GroupStore; audit: AuditService; transaction: RunInTransaction }) {
  const entries = namedEntries({ table: deps.store.groups, audit: deps.audit, transaction: deps.transaction }, 'group', 'group.read', 'group.manage');
  return {
    ...entries,

    async create(actor: Actor, input: unknown, subject: AuditSubject): Promise<NamedEntry> {
      requireCapability(actor, 'group.manage');
      const values = parseInput(namedCreateSchema(groupNameSchema), input);
      return deps.transaction(async (tx) => {
        const id = await deps.store.groups.insert(values, tx);
        const created = (await deps.store.groups.findById(id, tx))!;
        await deps.audit.record(subject, { action: 'group.create', objectType: 'group', objectId: created.name, after: view(created) }, tx);
        return created;
      });
    },

    permissionTypes: () => deps.store.permissionTypes(),

    /** Admins may add types; each new one ranks below `rw`, which stays the strongest and implies it. */
    async addPermissionType(actor: Actor, input: unknown, subject: AuditSubject): Promise<PermissionType[]> {
      requireCapability(actor, 'group.manage');
      const type = parseInput(permissionTypeSchema, input);
      return deps.transaction(async (tx) => {
        const types = await deps.store.permissionTypes(tx);
        const below = types.filter((t) => t.name !== STRONGEST).reduce((max, t) => Math.max(max, t.position), 0);
        await deps.store.insertPermissionType({ ...type, position: Math.min(below + 10, 999) }, tx);
        await deps.audit.record(subject, { action: 'permission-type.create', objectType: 'permission-type', objectId: type.name, after: type }, tx);
        return deps.store.permissionTypes(tx);
      });
    },
  };
}

/** The services catalogue: a tree by name (`Parent::Child`); a child needs its parent. */
export function createCatalogueService(deps: { store: CatalogueStore; audit: AuditService; transaction: RunInTransaction }) {
  const entries = namedEntries({ table: deps.store.services, audit: deps.audit, transaction: deps.transaction }, 'service', 'service.read', 'service.manage');
  return {
    ...entries,

    async create(actor: Actor, input: unknown, subject: AuditSubject): Promise<NamedEntry> {
      requireCapability(actor, 'service.manage');
      const values = parseInput(namedCreateSchema(serviceNameSchema), input);
      const parentName = values.name.includes('::') ? values.name.slice(0, values.name.lastIndexOf('::')) : null;
      return deps.transaction(async (tx) => {
        const parent = parentName === null ? null : await deps.store.services.findByName(parentName, tx);
        if (parentName !== null && !parent) throw ruleViolation(`There is no service ${parentName}; create the parent first.`, 'name', 'unknown_parent');
        const id = await deps.store.services.insert({ ...values, parent_id: parent?.id ?? null }, tx);
        const created = (await deps.store.services.findById(id, tx))!;
        await deps.audit.record(subject, { action: 'service.create', objectType: 'service', objectId: created.name, after: view(created) }, tx);
        return created;
      });
    },

    holders: async (actor: Actor, name: string) => deps.store.holders((await entries.get(actor, name)).id),
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
export type CatalogueService = ReturnType<typeof createCatalogueService>;
