import type { Knex } from 'knex';
import { translateDbError } from '../../db/errors.js';
import type { TableNames } from '../../db/tables.js';
import { rowsOf } from '../../db/rows.js';
import type { Tx } from '../../db/transaction.js';
import { namedTable } from '../groups/store.js';

/** Who a service is assigned to. */
export type ServiceOwner =
  | { kind: 'customer-user'; id: number }
  | { kind: 'customer'; customerId: string }
  | { kind: 'group'; groupId: number }
  | { kind: 'default' };

function ownerTable(tables: TableNames, owner: ServiceOwner): { table: string; where: Record<string, string | number> } {
  switch (owner.kind) {
    case 'customer-user':
      return { table: tables.customer_user_services, where: { customer_user_id: owner.id } };
    case 'customer':
      return { table: tables.customer_services, where: { customer_id: owner.customerId } };
    case 'group':
      return { table: tables.group_services, where: { group_id: owner.groupId } };
    default:
      return { table: tables.default_services, where: {} };
  }
}

const prefixKeys = (where: Record<string, string | number>) => Object.fromEntries(Object.entries(where).map(([k, v]) => [`a.${k}`, v]));

/** The services catalogue (names are full paths, `IT::Email`) and its assignments. */
export function createCatalogueStore(knex: Knex, tables: TableNames) {
  const services = namedTable(knex, tables.services, 'service');
  const db = (tx?: Tx) => tx ?? knex;

  const assigned = (owner: ServiceOwner, tx?: Tx, onlyValid = false) => {
    const { table, where } = ownerTable(tables, owner);
    const q = db(tx)(`${table} as a`).join(`${tables.services} as s`, 's.id', 'a.service_id').where(prefixKeys(where)).select('s.name as name').orderBy('s.name_key');
    if (onlyValid) void q.where('s.validity', 'valid');
    return q;
  };
  const names = async (q: Knex.QueryBuilder): Promise<string[]> => (await rowsOf<{ name: string }>(q)).map((r) => r.name);

  return {
    services,

    async children(parentId: number): Promise<number> {
      const row = (await knex(tables.services).where({ parent_id: parentId }).count({ n: '*' }).first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /** Every assignment of an owner, also of invalid services (edit screens show and keep them). */
    assignedTo: (owner: ServiceOwner, tx?: Tx) => names(assigned(owner, tx)),

    /** Valid services only: what counts for entitlements. */
    validAssignedTo: (owner: ServiceOwner, tx?: Tx) => names(assigned(owner, tx, true)),

    /** The user's own valid services that a form run assigned, with the run (the reason "via form run N"). */
    async validFromFormRuns(customerUserId: number, tx?: Tx): Promise<{ service: string; runId: number }[]> {
      const rows = await rowsOf<{ name: string; run: number }>(
        db(tx)(`${tables.customer_user_services} as a`).join(`${tables.services} as s`, 's.id', 'a.service_id').where('a.customer_user_id', customerUserId).where('s.validity', 'valid').whereNotNull('a.form_run_id').select('s.name as name', 'a.form_run_id as run'),
      );
      return rows.map((r) => ({ service: r.name, runId: Number(r.run) }));
    },

    async validByCustomers(customerIds: readonly string[], tx?: Tx): Promise<{ customerId: string; services: string[] }[]> {
      if (!customerIds.length) return [];
      const rows = await rowsOf<{ customer_id: string; name: string }>(
        db(tx)(`${tables.customer_services} as a`)
          .join(`${tables.services} as s`, 's.id', 'a.service_id')
          .where('s.validity', 'valid')
          .whereIn('a.customer_id', [...customerIds])
          .select('a.customer_id as customer_id', 's.name as name'),
      );
      return customerIds.map((customerId) => ({ customerId, services: rows.filter((r) => r.customer_id === customerId).map((r) => r.name) }));
    },

    async validByGroups(groupNames: readonly string[], tx?: Tx): Promise<{ group: string; services: string[] }[]> {
      if (!groupNames.length) return [];
      const rows = await rowsOf<{ grp: string; name: string }>(
        db(tx)(`${tables.group_services} as a`)
          .join(`${tables.services} as s`, 's.id', 'a.service_id')
          .join(`${tables.groups} as g`, 'g.id', 'a.group_id')
          .where('s.validity', 'valid')
          .where('g.validity', 'valid')
          .whereIn('g.name', [...groupNames])
          .select('g.name as grp', 's.name as name'),
      );
      return groupNames.map((group) => ({ group, services: rows.filter((r) => r.grp === group).map((r) => r.name) }));
    },

    async replace(owner: ServiceOwner, serviceIds: number[], tx: Tx): Promise<void> {
      const { table, where } = ownerTable(tables, owner);
      await tx(table).where(where).del();
      if (!serviceIds.length) return;
      try {
        await tx(table).insert(serviceIds.map((service_id) => ({ ...where, service_id })));
      } catch (err) {
        throw translateDbError(err, { field: 'services', what: 'A service' });
      }
    },

    /** Who holds a service, for the service → users, customers, groups screen. */
    async holders(serviceId: number): Promise<{ customerUsers: string[]; customers: string[]; groups: string[]; isDefault: boolean }> {
      interface Key { k: string }
      const users = await rowsOf<Key>(knex(`${tables.customer_user_services} as a`).join(`${tables.customer_users} as u`, 'u.id', 'a.customer_user_id').where('a.service_id', serviceId).orderBy('u.login').limit(1000).select('u.login as k'));
      const customers = await rowsOf<Key>(knex(`${tables.customer_services} as a`).where('a.service_id', serviceId).orderBy('a.customer_id').limit(1000).select('a.customer_id as k'));
      const groups = await rowsOf<Key>(knex(`${tables.group_services} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').where('a.service_id', serviceId).orderBy('g.name_key').select('g.name as k'));
      const defaults = await rowsOf<Key>(knex(tables.default_services).where({ service_id: serviceId }).select('service_id as k'));
      const keys = (rows: Key[]) => rows.map((r) => r.k);
      return { customerUsers: keys(users), customers: keys(customers), groups: keys(groups), isDefault: defaults.length > 0 };
    },
  };
}

export type CatalogueStore = ReturnType<typeof createCatalogueStore>;
