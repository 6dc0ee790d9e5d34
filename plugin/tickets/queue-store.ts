import type { Knex } from 'knex';
import type { Validity } from '../agents/schema.js';
import { nameKey } from '../access/groups/store.js';
import { translateDbError } from '../db/errors.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';

export interface Queue {
  id: number;
  name: string;
  group: string;
  groupValid: boolean;
  comment: string;
  validity: Validity;
  version: number;
}

interface QueueRow {
  id: number;
  name: string;
  group_name: string;
  group_validity: string;
  comment: string | null;
  validity: string;
  version: number;
}

const toQueue = (r: QueueRow): Queue => ({
  id: Number(r.id),
  name: r.name,
  group: r.group_name,
  groupValid: r.group_validity === 'valid',
  comment: r.comment ?? '',
  validity: r.validity as Validity,
  version: Number(r.version),
});

/** Queues are few (tens): every ticket request reads them all and decides access in memory. */
export function createQueueStore(knex: Knex, tables: TableNames) {
  const withGroup = (tx?: Tx) =>
    (tx ?? knex)(`${tables.queues} as q`).join(`${tables.groups} as g`, 'g.id', 'q.group_id').select('q.id', 'q.name', 'g.name as group_name', 'g.validity as group_validity', 'q.comment', 'q.validity', 'q.version');
  return {
    async all(tx?: Tx): Promise<Queue[]> {
      return (await rowsOf<QueueRow>(withGroup(tx).orderBy('q.name_key'))).map(toQueue);
    },

    async findByName(name: string, tx?: Tx): Promise<Queue | null> {
      const [row] = await rowsOf<QueueRow>(withGroup(tx).where('q.name_key', nameKey(name)));
      return row ? toQueue(row) : null;
    },

    async insert(values: { name: string; groupId: number; comment: string; validity: Validity }, tx: Tx): Promise<void> {
      const now = toDbTime();
      try {
        await tx(tables.queues).insert({ name: values.name, name_key: nameKey(values.name), group_id: values.groupId, comment: values.comment, validity: values.validity, created_at: now, updated_at: now, version: 1 });
      } catch (err) {
        throw translateDbError(err, { field: 'name', what: 'This queue name' });
      }
    },

    async update(id: number, values: { name?: string; groupId?: number; comment?: string; validity?: Validity }, expectedVersion: number, tx: Tx): Promise<void> {
      const { groupId, ...rest } = values;
      let changed: number;
      try {
        changed = await tx(tables.queues)
          .where({ id, version: expectedVersion })
          .update({ ...rest, ...(groupId !== undefined && { group_id: groupId }), ...(values.name !== undefined && { name_key: nameKey(values.name) }), updated_at: toDbTime(), version: expectedVersion + 1 });
      } catch (err) {
        throw translateDbError(err, { field: 'name', what: 'This queue name' });
      }
      if (changed === 0) throw conflict('Someone else changed this queue since you opened it. Reload, then edit again.', 'version', 'edit_conflict');
    },
  };
}

export type QueueStore = ReturnType<typeof createQueueStore>;
