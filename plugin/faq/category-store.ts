import type { Knex } from 'knex';
import type { Validity } from '../agents/schema.js';
import { translateDbError } from '../db/errors.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';
import type { Category } from './schema.js';

interface CategoryRow {
  id: number;
  slug: string;
  name: string;
  parent_id: number | null;
  group_id: number | null;
  group_name: string | null;
  position: number;
  comment: string | null;
  validity: string;
  version: number;
  created_at: string;
  updated_at: string;
}

const toCategory = (r: CategoryRow): Category => ({
  id: Number(r.id),
  slug: r.slug,
  name: r.name,
  parentId: r.parent_id === null ? null : Number(r.parent_id),
  groupId: r.group_id === null ? null : Number(r.group_id),
  group: r.group_name,
  position: Number(r.position),
  comment: r.comment ?? '',
  validity: r.validity as Validity,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface CategoryValues {
  slug?: string;
  name?: string;
  parent_id?: number | null;
  group_id?: number | null;
  position?: number;
  comment?: string;
  validity?: Validity;
}

/** FAQ categories: few rows, read whole (the tree, its groups and validity decide every FAQ read). */
export function createCategoryStore(knex: Knex, tables: TableNames) {
  const select = (tx?: Tx) =>
    (tx ?? knex)(`${tables.faq_categories} as c`)
      .leftJoin(`${tables.groups} as g`, 'g.id', 'c.group_id')
      .select('c.*', 'g.name as group_name');

  return {
    async all(tx?: Tx): Promise<Category[]> {
      return (await rowsOf<CategoryRow>(select(tx).orderBy([{ column: 'c.position' }, { column: 'c.name' }]))).map(toCategory);
    },

    async findBySlug(slug: string, tx?: Tx): Promise<Category | null> {
      const [row] = await rowsOf<CategoryRow>(select(tx).where('c.slug', slug));
      return row ? toCategory(row) : null;
    },

    async insert(values: Required<Omit<CategoryValues, 'slug'>> & { slug: string }, tx: Tx): Promise<number> {
      const now = toDbTime();
      try {
        const [id] = await tx(tables.faq_categories).insert({ ...values, created_at: now, updated_at: now, version: 1 });
        return Number(id);
      } catch (err) {
        throw translateDbError(err, { field: 'slug', what: 'This category slug' });
      }
    },

    async update(id: number, values: CategoryValues, expectedVersion: number, tx: Tx): Promise<void> {
      const changed = await tx(tables.faq_categories)
        .where({ id, version: expectedVersion })
        .update({ ...values, updated_at: toDbTime(), version: expectedVersion + 1 });
      if (changed === 0) throw conflict('Someone else changed this category; reload and try again.', 'version', 'version_conflict');
    },
  };
}

export type CategoryStore = ReturnType<typeof createCategoryStore>;
