import type { Knex } from 'knex';
import type { TableNames } from '../../../db/tables.js';
import type { Tx } from '../../../db/transaction.js';
import { rowsOf } from '../../../db/rows.js';

/** A group permission a directory backend's group mapping gave one of its users. */
export interface DirectoryGrantRow {
  customerUserId: number;
  groupId: number;
  permission: string;
}

interface Row {
  customer_user_id: number;
  group_id: number;
  permission: string;
  backend_key: string;
}

/** Rows per statement: keeps every insert and delete under the drivers' parameter limits. */
const CHUNK = 300;

/**
 * The grants that come from directory group membership, kept apart from the ones admins set
 * (customer_user_groups): a sync replaces only these, so it never takes away what an admin granted.
 */
export function createGroupGrantsStore(knex: Knex, tables: TableNames) {
  const grants = (tx?: Tx) => (tx ?? knex)<Row>(tables.directory_group_grants);

  return {
    async forBackend(backendKey: string, tx?: Tx): Promise<DirectoryGrantRow[]> {
      const rows = await rowsOf<Row>(grants(tx).where({ backend_key: backendKey }).select('customer_user_id', 'group_id', 'permission'));
      return rows.map((r) => ({ customerUserId: Number(r.customer_user_id), groupId: Number(r.group_id), permission: r.permission }));
    },

    async add(backendKey: string, rows: readonly DirectoryGrantRow[], tx: Tx): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const part = rows.slice(i, i + CHUNK).map((r) => ({ customer_user_id: r.customerUserId, group_id: r.groupId, permission: r.permission, backend_key: backendKey }));
        await grants(tx).insert(part);
      }
    },

    async remove(backendKey: string, rows: readonly DirectoryGrantRow[], tx: Tx): Promise<void> {
      for (const r of rows) {
        await grants(tx).where({ backend_key: backendKey, customer_user_id: r.customerUserId, group_id: r.groupId, permission: r.permission }).del();
      }
    },
  };
}

export type GroupGrantsStore = ReturnType<typeof createGroupGrantsStore>;
