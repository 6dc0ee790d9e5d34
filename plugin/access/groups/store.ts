import type { Knex } from 'knex';
import { translateDbError } from '../../db/errors.js';
import type { TableNames } from '../../db/tables.js';
import { rowsOf } from '../../db/rows.js';
import type { Tx } from '../../db/transaction.js';
import { fromDbJson, toCount, toDbBool, toDbTime, toBool } from '../../db/values.js';
import { conflict } from '../../errors.js';
import { groupMappingRowSchema, type GroupMappingRow } from '../../customers/backends/ldap/settings.js';
import type { DefaultScope, DirectoryGrant, GroupGrant } from '../effective-permissions.js';
import type { Validity } from '../../agents/schema.js';

/** A group, a service: the catalogue entries people name, with validity instead of deletion. */
export interface NamedEntry {
  id: number;
  name: string;
  comment: string;
  validity: Validity;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface NamedRow {
  id: number;
  name: string;
  name_key: string;
  comment: string | null;
  validity: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export const toNamed = (row: NamedRow): NamedEntry => ({
  id: Number(row.id),
  name: row.name,
  comment: row.comment ?? '',
  validity: row.validity as Validity,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: Number(row.version),
});

export const nameKey = (name: string): string => name.toLowerCase();

export interface PermissionType {
  name: string;
  position: number;
  builtIn: boolean;
  comment: string;
}

export interface NamedListQuery {
  search?: string | undefined;
  validity?: Validity | undefined;
  limit: number;
  offset: number;
}

/** Insert, update, find and list for a table of named entries (groups, services). */
export function namedTable(knex: Knex, table: string, what: string) {
  const rows = (tx?: Tx) => (tx ?? knex)<NamedRow>(table);
  const filtered = (query: Omit<NamedListQuery, 'limit' | 'offset'>) => {
    const q = rows();
    if (query.validity) void q.where('validity', query.validity);
    if (query.search) void q.whereRaw('?? like ? escape ?', ['name_key', `%${nameKey(query.search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`, '\\']);
    return q;
  };
  return {
    async insert(values: { name: string; comment: string; validity: Validity } & Record<string, unknown>, tx?: Tx): Promise<number> {
      const now = toDbTime();
      try {
        const [id] = await rows(tx).insert({ ...values, name_key: nameKey(values.name), created_at: now, updated_at: now, version: 1 });
        return Number(id);
      } catch (err) {
        throw translateDbError(err, { field: 'name', what: `This ${what} name` });
      }
    },

    async update(id: number, values: { name?: string; comment?: string; validity?: Validity }, expectedVersion: number, tx?: Tx): Promise<void> {
      let changed: number;
      try {
        changed = await rows(tx)
          .where({ id, version: expectedVersion })
          .update({ ...values, ...(values.name !== undefined && { name_key: nameKey(values.name) }), updated_at: toDbTime(), version: expectedVersion + 1 });
      } catch (err) {
        throw translateDbError(err, { field: 'name', what: `This ${what} name` });
      }
      if (changed === 0) throw conflict(`Someone else changed this ${what} since you opened it. Reload, then edit again.`, 'version', 'edit_conflict');
    },

    async findByName(name: string, tx?: Tx): Promise<NamedEntry | null> {
      const row = await rows(tx).where({ name_key: nameKey(name) }).first();
      return row ? toNamed(row) : null;
    },

    async findManyByName(names: readonly string[], tx?: Tx): Promise<NamedEntry[]> {
      if (!names.length) return [];
      return (await rows(tx).whereIn('name_key', names.map(nameKey))).map(toNamed);
    },

    async findById(id: number, tx?: Tx): Promise<NamedEntry | null> {
      const row = await rows(tx).where({ id }).first();
      return row ? toNamed(row) : null;
    },

    async list(query: NamedListQuery): Promise<{ items: NamedEntry[]; total: number }> {
      const items = (await filtered(query).orderBy('name_key').limit(query.limit).offset(query.offset)).map(toNamed);
      const count = (await filtered(query).count({ n: '*' }).first()) as { n: unknown } | undefined;
      return { items, total: toCount(count?.n) };
    },
  };
}

export type NamedTable = ReturnType<typeof namedTable>;

interface GrantRow {
  name: string;
  permission: string;
}

/** Groups, permission types and who holds which group with which permission. */
export function createGroupStore(knex: Knex, tables: TableNames) {
  const groups = namedTable(knex, tables.groups, 'group');
  const db = (tx?: Tx) => tx ?? knex;

  /** Grants joined to their (valid) group; an invalid group grants nothing anywhere. */
  const validGrants = (table: string, tx?: Tx) =>
    db(tx)(`${table} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').where('g.validity', 'valid').select('g.name as name', 'a.permission as permission');

  const toGrants = (rows: GrantRow[]): GroupGrant[] => rows.map((r) => ({ group: r.name, permission: r.permission }));

  async function replace(table: string, where: Record<string, string | number>, grants: { groupId: number; permission: string }[], tx: Tx): Promise<void> {
    await tx(table).where(where).del();
    if (!grants.length) return;
    try {
      await tx(table).insert(grants.map((g) => ({ ...where, group_id: g.groupId, permission: g.permission })));
    } catch (err) {
      throw translateDbError(err, { field: 'groups', what: 'A group or permission type' });
    }
  }

  return {
    groups,

    async permissionTypes(tx?: Tx): Promise<PermissionType[]> {
      const rows = await rowsOf<{ name: string; position: number; built_in: unknown; comment: string }>(db(tx)(tables.permission_types).orderBy('position').orderBy('name'));
      return rows.map((r) => ({ name: r.name, position: Number(r.position), builtIn: toBool(r.built_in), comment: r.comment }));
    },

    async insertPermissionType(type: { name: string; position: number; comment: string }, tx?: Tx): Promise<void> {
      try {
        await db(tx)(tables.permission_types).insert({ ...type, built_in: toDbBool(false) });
      } catch (err) {
        throw translateDbError(err, { field: 'name', what: 'This permission type' });
      }
    },

    async userGrants(customerUserId: number, tx?: Tx): Promise<GroupGrant[]> {
      return toGrants(await rowsOf<GrantRow>(validGrants(tables.customer_user_groups, tx).where('a.customer_user_id', customerUserId)));
    },

    async customerGrants(customerIds: readonly string[], tx?: Tx): Promise<{ customerId: string; grants: GroupGrant[] }[]> {
      if (!customerIds.length) return [];
      const rows = await rowsOf<GrantRow & { customer_id: string }>(validGrants(tables.customer_groups, tx).whereIn('a.customer_id', [...customerIds]).select('a.customer_id as customer_id'));
      return customerIds.map((customerId) => ({ customerId, grants: toGrants(rows.filter((r) => r.customer_id === customerId)) }));
    },

    async defaultGrants(tx?: Tx): Promise<{ scope: DefaultScope; grants: GroupGrant[] }[]> {
      const rows = await rowsOf<GrantRow & { scope: DefaultScope }>(validGrants(tables.default_groups, tx).select('a.scope as scope'));
      return (['customer-users', 'customers'] as const).map((scope) => ({ scope, grants: toGrants(rows.filter((r) => r.scope === scope)) }));
    },

    /**
     * What directory group membership grants one user (valid groups only), each with the LDAP group
     * behind it, taken from the backend's current group mapping. A grant the mapping no longer backs
     * (a mapping row removed since the last sync) counts for nothing: removing a row revokes at once,
     * and the next sync deletes the stale grant.
     */
    async directoryGrants(customerUserId: number, tx?: Tx): Promise<DirectoryGrant[]> {
      const rows = await rowsOf<GrantRow & { backend_key: string; settings_json: string }>(
        db(tx)(`${tables.directory_group_grants} as a`)
          .join(`${tables.groups} as g`, 'g.id', 'a.group_id')
          .join(`${tables.customer_user_backends} as b`, 'b.backend_key', 'a.backend_key')
          .where('g.validity', 'valid')
          .where('a.customer_user_id', customerUserId)
          .select('g.name as name', 'a.permission as permission', 'a.backend_key as backend_key', 'b.settings_json as settings_json'),
      );
      const mappings = new Map<string, GroupMappingRow[]>();
      const mappingOf = (backend: string, json: string): GroupMappingRow[] => {
        let mapping = mappings.get(backend);
        if (!mapping) {
          const raw = fromDbJson<{ groupMapping?: unknown }>(json, {}).groupMapping;
          const parsed = Array.isArray(raw) ? raw.map((r) => groupMappingRowSchema.safeParse(r)) : [];
          mapping = parsed.flatMap((p) => (p.success ? [p.data] : []));
          mappings.set(backend, mapping);
        }
        return mapping;
      };
      return rows.flatMap((r) =>
        mappingOf(r.backend_key, r.settings_json)
          .filter((m) => nameKey(m.group) === nameKey(r.name) && m.permissions.includes(r.permission))
          .map((m) => ({ group: r.name, permission: r.permission, backend: r.backend_key, ldapGroupDn: m.ldapGroupDn })),
      );
    },

    /** All grants of an owner, also of invalid groups (the edit screens show and keep them). */
    async ownGrants(owner: GrantOwner, tx?: Tx): Promise<GroupGrant[]> {
      const { table, where } = ownerTable(tables, owner);
      return toGrants(await rowsOf<GrantRow>(db(tx)(`${table} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').where(prefixKeys(where)).select('g.name as name', 'a.permission as permission').orderBy('g.name_key')));
    },

    replaceGrants(owner: GrantOwner, grants: { groupId: number; permission: string }[], tx: Tx): Promise<void> {
      const { table, where } = ownerTable(tables, owner);
      return replace(table, where, grants, tx);
    },

    /** Sets one member's permissions in one group (the matrix). */
    async setMemberPermissions(owner: GrantOwner, groupId: number, permissions: readonly string[], tx: Tx): Promise<void> {
      const { table, where } = ownerTable(tables, owner);
      await tx(table).where({ ...where, group_id: groupId }).del();
      if (permissions.length) await tx(table).insert(permissions.map((permission) => ({ ...where, group_id: groupId, permission })));
    },

    /**
     * Members of a group with their permissions there, paged by member key. `search` keeps keys (logins,
     * customer IDs) containing the text, case-insensitively and with `%`/`_` literal; the scan stays
     * within the group's own rows (indexed by group).
     */
    async members(groupId: number, kind: 'customer-user' | 'customer', page: { limit: number; offset: number; search?: string | undefined }): Promise<{ items: { key: string; permissions: string[] }[]; total: number }> {
      const [table, keyColumn, join] =
        kind === 'customer'
          ? [tables.customer_groups, 'a.customer_id', null]
          : [tables.customer_user_groups, 'u.login', tables.customer_users];
      const base = () => {
        const q = knex(`${table} as a`).where('a.group_id', groupId);
        if (join) void q.join(`${join} as u`, 'u.id', 'a.customer_user_id');
        if (page.search) void q.whereRaw('lower(??) like ? escape ?', [keyColumn, `%${page.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, '\\']);
        return q;
      };
      const keys = await rowsOf<{ k: string }>(base().distinct(`${keyColumn} as k`).orderBy('k').limit(page.limit).offset(page.offset));
      const count = (await base().countDistinct({ n: keyColumn }).first()) as { n: unknown } | undefined;
      if (!keys.length) return { items: [], total: toCount(count?.n) };
      const rows = await rowsOf<{ k: string; permission: string }>(base().whereIn(keyColumn, keys.map((k) => k.k)).select(`${keyColumn} as k`, 'a.permission as permission'));
      return {
        items: keys.map(({ k }) => ({ key: k, permissions: rows.filter((r) => r.k === k).map((r) => r.permission) })),
        total: toCount(count?.n),
      };
    },
  };
}

export type GrantOwner = { kind: 'customer-user'; id: number } | { kind: 'customer'; customerId: string } | { kind: 'default'; scope: DefaultScope };

function ownerTable(tables: TableNames, owner: GrantOwner): { table: string; where: Record<string, string | number> } {
  if (owner.kind === 'customer-user') return { table: tables.customer_user_groups, where: { customer_user_id: owner.id } };
  if (owner.kind === 'customer') return { table: tables.customer_groups, where: { customer_id: owner.customerId } };
  return { table: tables.default_groups, where: { scope: owner.scope } };
}

const prefixKeys = (where: Record<string, string | number>) => Object.fromEntries(Object.entries(where).map(([k, v]) => [`a.${k}`, v]));

export type GroupStore = ReturnType<typeof createGroupStore>;
