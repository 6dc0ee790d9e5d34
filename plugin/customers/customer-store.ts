import type { Knex } from 'knex';
import { translateDbError } from '../db/errors.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toCount, toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';
import type { Customer, ListQuery, Validity } from './schema.js';
import { LIKE_ESCAPE, escapeLike, normaliseForSearch } from './search-terms.js';

interface CustomerRow {
  id: number;
  customer_id: string;
  name: string;
  name_key: string;
  street: string;
  zip: string;
  city: string;
  country: string;
  url: string;
  comment: string | null;
  validity: string;
  created_at: string;
  updated_at: string;
  version: number;
}

const toCustomer = (row: CustomerRow): Customer => ({
  id: Number(row.id),
  customerId: row.customer_id,
  name: row.name,
  street: row.street,
  zip: row.zip,
  city: row.city,
  country: row.country,
  url: row.url,
  comment: row.comment ?? '',
  validity: row.validity as Validity,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: Number(row.version),
});

export type CustomerValues = Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

const toRow = (v: Partial<CustomerValues>) => ({
  ...(v.customerId !== undefined && { customer_id: v.customerId }),
  ...(v.name !== undefined && { name: v.name, name_key: normaliseForSearch(v.name).slice(0, 191) }),
  ...(v.street !== undefined && { street: v.street }),
  ...(v.zip !== undefined && { zip: v.zip }),
  ...(v.city !== undefined && { city: v.city }),
  ...(v.country !== undefined && { country: v.country }),
  ...(v.url !== undefined && { url: v.url }),
  ...(v.comment !== undefined && { comment: v.comment }),
  ...(v.validity !== undefined && { validity: v.validity }),
});


/** Customers (companies). Their number stays small, so search is a LIKE over ID and name, escaped. */
export function createCustomerStore(knex: Knex, tables: TableNames) {
  const table = (tx?: Tx) => (tx ?? knex)<CustomerRow>(tables.customers);

  function filtered(query: Omit<ListQuery, 'limit' | 'offset'>, customerIds: string[] | null) {
    const q = table();
    if (customerIds) q.whereIn('customer_id', customerIds);
    if (query.validity) q.where('validity', query.validity);
    for (const word of normaliseForSearch(query.search ?? '').split(' ').filter((w) => w && w !== '*')) {
      const pattern = `%${word.split('*').map(escapeLike).join('%')}%`;
      q.where((w) => {
        void w.whereRaw('?? like ? escape ?', ['name_key', pattern, LIKE_ESCAPE]).orWhereRaw('lower(??) like ? escape ?', ['customer_id', pattern, LIKE_ESCAPE]);
      });
    }
    return q;
  }

  return {
    async insert(values: CustomerValues, tx?: Tx): Promise<Customer> {
      const now = toDbTime();
      try {
        await table(tx).insert({ ...toRow(values), created_at: now, updated_at: now, version: 1 });
      } catch (err) {
        throw translateDbError(err, { field: 'customerId', what: 'This customer ID' });
      }
      const created = await this.findByCustomerId(values.customerId, tx);
      if (!created) throw new Error('customer vanished after insert');
      return created;
    },

    /** Exact match: `1` never finds `12`, `acme` never finds `Acme`. */
    async findByCustomerId(customerId: string, tx?: Tx): Promise<Customer | null> {
      const row = await table(tx).where({ customer_id: customerId }).first();
      return row?.customer_id === customerId ? toCustomer(row) : null;
    },

    async findMany(customerIds: readonly string[], tx?: Tx): Promise<Customer[]> {
      if (!customerIds.length) return [];
      const rows = await table(tx).whereIn('customer_id', [...customerIds]);
      return rows.map(toCustomer);
    },

    /** Optimistic lock: the update only lands on the version the editor saw. */
    async update(id: number, values: Partial<CustomerValues>, expectedVersion: number, tx?: Tx): Promise<void> {
      const changed = await table(tx)
        .where({ id, version: expectedVersion })
        .update({ ...toRow(values), updated_at: toDbTime(), version: expectedVersion + 1 });
      if (changed === 0) {
        throw conflict('Someone else changed this customer since you opened it. Reload to see their change, then edit again.', 'version', 'edit_conflict');
      }
    },

    async list(query: ListQuery, customerIds: string[] | null): Promise<{ items: Customer[]; total: number }> {
      const rows = await filtered(query, customerIds).orderBy('customer_id').limit(query.limit).offset(query.offset);
      const count = (await filtered(query, customerIds).count({ n: '*' }).first()) as { n: unknown } | undefined;
      return { items: rows.map(toCustomer), total: toCount(count?.n) };
    },
  };
}

export type CustomerStore = ReturnType<typeof createCustomerStore>;
