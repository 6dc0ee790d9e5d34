import type { Knex } from 'knex';
import { translateDbError } from '../../../db/errors.js';
import type { TableNames } from '../../../db/tables.js';
import type { Tx } from '../../../db/transaction.js';
import { rowsOf } from '../../../db/rows.js';
import { fromDbJson, toCount, toDbJson, toDbTime } from '../../../db/values.js';
import { conflict } from '../../../errors.js';
import type { Validity } from '../../schema.js';
import { LIKE_ESCAPE, prefixUpperBound, type WordMatch } from '../../search-terms.js';

/** Columns a map row may name as its storage in the database backend. */
export const DB_COLUMNS = [
  'title', 'first_name', 'last_name', 'login', 'email', 'customer_id',
  'phone', 'fax', 'mobile', 'street', 'zip', 'city', 'country', 'comment',
] as const;
export type DbColumn = (typeof DB_COLUMNS)[number];
export const isDbColumn = (s: string): s is DbColumn => (DB_COLUMNS as readonly string[]).includes(s);

interface UserRow {
  id: number;
  login: string;
  email: string;
  email_key: string;
  email_unique: string | null;
  customer_id: string;
  title: string;
  first_name: string;
  last_name: string;
  phone: string;
  fax: string;
  mobile: string;
  street: string;
  zip: string;
  city: string;
  country: string;
  comment: string | null;
  extra_json: string | null;
  validity: string;
  password_hash: string | null;
  manager_id: number | null;
  language: string | null;
  source: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  anonymised_at: string | null;
  version: number;
  directory_id: string | null;
  directory_dn: string | null;
  directory_hash: string | null;
  directory_seen_at: string | null;
  directory_missing_at: string | null;
}

/** A stored customer user as the database holds it; the backend turns it into map fields. */
export interface StoredUser {
  id: number;
  columns: Record<DbColumn, string>;
  extra: Record<string, string | number | null>;
  validity: Validity;
  hasPassword: boolean;
  managerId: number | null;
  language: string | null;
  source: string;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  anonymisedAt: string | null;
  version: number;
  /** Set for a directory user's shadow row. */
  directory: { id: string; dn: string; seenAt: string | null; missingAt: string | null } | null;
}

const toStored = (row: UserRow): StoredUser => ({
  id: Number(row.id),
  columns: Object.fromEntries(DB_COLUMNS.map((c) => [c, row[c] ?? ''])) as Record<DbColumn, string>,
  extra: fromDbJson<Record<string, string | number | null>>(row.extra_json, {}),
  validity: row.validity as Validity,
  hasPassword: row.password_hash !== null,
  managerId: row.manager_id === null ? null : Number(row.manager_id),
  language: row.language,
  source: row.source,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastLoginAt: row.last_login_at,
  anonymisedAt: row.anonymised_at,
  version: Number(row.version),
  directory: row.directory_id ? { id: row.directory_id, dn: row.directory_dn ?? '', seenAt: row.directory_seen_at, missingAt: row.directory_missing_at } : null,
});

export interface UserWrite {
  columns: Partial<Record<DbColumn, string>>;
  extra?: Record<string, string | number | null>;
  /** The lower-cased address while e-mail uniqueness is on, null otherwise. */
  emailUnique?: string | null;
  validity?: Validity;
  managerId?: number | null;
  passwordHash?: string | null;
  language?: string | null;
  anonymisedAt?: string | null;
  /** Which backend the row belongs to (only on insert; the database backend's own rows are 'db'). */
  source?: string;
  /** A directory user's shadow row: the stable id, normalised DN and hash of what was mapped. */
  directory?: { id: string; dn: string; hash: string; seenAt?: string; missingAt?: string | null };
}

export interface SearchTerm {
  field: string;
  term: string;
}

export interface UserSearch {
  words: WordMatch[];
  /** null: every customer; otherwise only users of these customers (primary or extra), plus selfId. */
  scope: { customerIds: string[]; selfId: number | null } | null;
  customerId?: string | undefined;
  validity?: Validity | undefined;
  /** Rows of one backend: the database's own users, or one directory's shadow rows. */
  source: string;
  limit: number;
  offset: number;
  /** Most matches a search looks at (the list limit); beyond it the total says "more than". */
  cap: number;
}

const CUSTOMER_ID_OR_EXTRA = 'customer_id';

export function createCustomerUserStore(knex: Knex, tables: TableNames) {
  const users = (tx?: Tx) => (tx ?? knex)<UserRow>(tables.customer_users);

  function rowOf(write: UserWrite): Partial<UserRow> {
    const row: Partial<UserRow> = { ...write.columns };
    if (write.columns.email !== undefined) row.email_key = write.columns.email.toLowerCase();
    if (write.extra !== undefined) row.extra_json = toDbJson(write.extra);
    if (write.emailUnique !== undefined) row.email_unique = write.emailUnique;
    if (write.validity !== undefined) row.validity = write.validity;
    if (write.managerId !== undefined) row.manager_id = write.managerId;
    if (write.passwordHash !== undefined) row.password_hash = write.passwordHash;
    if (write.language !== undefined) row.language = write.language;
    if (write.anonymisedAt !== undefined) row.anonymised_at = write.anonymisedAt;
    if (write.source !== undefined) row.source = write.source;
    if (write.directory) {
      row.directory_id = write.directory.id;
      row.directory_dn = write.directory.dn;
      row.directory_hash = write.directory.hash;
      if (write.directory.seenAt !== undefined) row.directory_seen_at = write.directory.seenAt;
      if (write.directory.missingAt !== undefined) row.directory_missing_at = write.directory.missingAt;
    }
    return row;
  }

  const duplicate = (err: unknown) => translateDbError(err, { field: 'login', what: 'This login or e-mail address' });

  async function writeTerms(id: number, terms: SearchTerm[], tx: Tx): Promise<void> {
    await tx(tables.customer_user_search).where({ customer_user_id: id }).del();
    if (terms.length) await tx(tables.customer_user_search).insert(terms.map((t) => ({ customer_user_id: id, ...t })));
  }

  /** A term-table alias restricted to one query word: a range scan of the term index (or a LIKE over it). */
  function termMatches(q: Knex.QueryBuilder, alias: string, word: WordMatch): void {
    if (word.kind === 'prefix') {
      void q.where(`${alias}.term`, '>=', word.prefix).andWhere(`${alias}.term`, '<', prefixUpperBound(word.prefix));
    }
    if (word.likePattern) void q.andWhereRaw('?? like ? escape ?', [`${alias}.term`, word.likePattern, LIKE_ESCAPE]);
  }

  /** The most selective word drives: a prefix before a contains scan, a longer prefix before a shorter one. */
  const selectivity = (w: WordMatch) => (w.kind === 'prefix' ? 1000 + w.prefix.length : 0);

  /**
   * Ids of at most `bound` matching users, driven by the term index: the first word is a range scan,
   * every other word an EXISTS on the same user's terms, the user filters a primary-key join. Bounding
   * the candidates keeps a broad search ("van" matches one in eight) as cheap as a narrow one; beyond
   * the list limit the person is asked to type more, as in OTOBO.
   */
  function candidates(search: UserSearch, bound: number): Knex.QueryBuilder {
    const [first, ...rest] = [...search.words].sort((a, b) => selectivity(b) - selectivity(a));
    const q = knex(`${tables.customer_user_search} as s0`).join(`${tables.customer_users} as cu`, 'cu.id', 's0.customer_user_id').distinct('s0.customer_user_id as id');
    if (first) termMatches(q, 's0', first);
    rest.forEach((word, i) => {
      const alias = `s${i + 1}`;
      void q.whereExists(function (this: Knex.QueryBuilder) {
        void this.select(knex.raw('1')).from(`${tables.customer_user_search} as ${alias}`).whereRaw('?? = ??', [`${alias}.customer_user_id`, 's0.customer_user_id']);
        termMatches(this, alias, word);
      });
    });
    userFilters(q, search);
    return q.limit(bound);
  }

  function inCustomers(q: Knex.QueryBuilder, customerIds: string[]): void {
    void q.where((w) => {
      void w.whereIn(`cu.${CUSTOMER_ID_OR_EXTRA}`, customerIds).orWhereIn('cu.id', function (this: Knex.QueryBuilder) {
        void this.select('customer_user_id').from(tables.customer_user_customers).whereIn('customer_id', customerIds);
      });
    });
  }

  function userFilters(q: Knex.QueryBuilder, search: UserSearch): Knex.QueryBuilder {
    void q.where('cu.source', search.source);
    if (search.validity) void q.where('cu.validity', search.validity);
    if (search.customerId !== undefined) inCustomers(q, [search.customerId]);
    if (search.scope) {
      const { customerIds, selfId } = search.scope;
      void q.where((w) => {
        if (customerIds.length) inCustomers(w, customerIds);
        else void w.whereRaw('1 = 0');
        if (selfId !== null) void w.orWhere('cu.id', selfId);
      });
    }
    return q;
  }

  return {
    async insert(login: string, write: UserWrite, terms: SearchTerm[], tx: Tx): Promise<number> {
      const now = toDbTime();
      let id: number;
      try {
        const [raw] = await users(tx).insert({ ...rowOf(write), login, created_at: now, updated_at: now, version: 1 });
        id = Number(raw);
      } catch (err) {
        throw duplicate(err);
      }
      await writeTerms(id, terms, tx);
      return id;
    },

    /** Optimistic lock on `version`; `terms` replaces the user's search terms when given. */
    async update(id: number, expectedVersion: number, write: UserWrite, terms: SearchTerm[] | null, tx: Tx): Promise<void> {
      let changed: number;
      try {
        changed = await users(tx)
          .where({ id, version: expectedVersion })
          .update({ ...rowOf(write), updated_at: toDbTime(), version: expectedVersion + 1 });
      } catch (err) {
        throw duplicate(err);
      }
      if (changed === 0) {
        throw conflict('Someone else changed this customer user since you opened it. Reload to see their change, then edit again.', 'version', 'edit_conflict');
      }
      if (terms) await writeTerms(id, terms, tx);
    },

    async replaceTerms(id: number, terms: SearchTerm[], tx: Tx): Promise<void> {
      await writeTerms(id, terms, tx);
    },

    async findById(id: number, tx?: Tx): Promise<StoredUser | null> {
      const row = await users(tx).where({ id }).first();
      return row ? toStored(row) : null;
    },

    async findByLogin(login: string, tx?: Tx): Promise<StoredUser | null> {
      const row = await users(tx).where({ login }).first();
      return row?.login === login ? toStored(row) : null;
    },

    async findManyById(ids: number[], tx?: Tx): Promise<StoredUser[]> {
      if (!ids.length) return [];
      return (await users(tx).whereIn('id', ids)).map(toStored);
    },

    async findIdsByEmail(emailKey: string, tx?: Tx): Promise<number[]> {
      const rows = await users(tx).where({ email_key: emailKey }).select('id');
      return rows.map((r) => Number(r.id));
    },

    async passwordHashOf(id: number): Promise<string | null> {
      const row = await users().where({ id }).first('password_hash');
      return row?.password_hash ?? null;
    },

    async setPasswordHash(id: number, hash: string, tx?: Tx): Promise<void> {
      await users(tx).where({ id }).update({ password_hash: hash, updated_at: toDbTime() });
    },

    async recordLogin(id: number): Promise<void> {
      await users().where({ id }).update({ last_login_at: toDbTime() });
    },

    /**
     * One page in login order, and how many match up to `cap` (`capped` when there are more). Without
     * search words the users are walked in login order; with words the page is sorted from the bounded
     * candidates, so its work never grows with the number of matches.
     */
    async search(search: UserSearch): Promise<{ items: StoredUser[]; total: number; capped: boolean }> {
      const words = search.words.length > 0;
      const page = words
        ? knex(`${tables.customer_users} as cu`).join(candidates(search, search.cap).as('c'), 'c.id', 'cu.id')
        : userFilters(knex(`${tables.customer_users} as cu`), search);
      const rows = await rowsOf<UserRow>(page.select('cu.*').orderBy('cu.login').limit(search.limit).offset(search.offset));
      // One more than the cap tells "exactly the cap" from "more than the cap".
      const bounded = words ? candidates(search, search.cap + 1) : userFilters(knex(`${tables.customer_users} as cu`), search).select('cu.id').limit(search.cap + 1);
      const count = await rowsOf<{ n: unknown }>(knex.count({ n: '*' }).from(bounded.as('b')));
      const matches = toCount(count[0]?.n);
      return { items: rows.map(toStored), total: Math.min(matches, search.cap), capped: matches > search.cap };
    },

    async extraCustomerIds(ids: number[], tx?: Tx): Promise<Map<number, string[]>> {
      return groupBy(await (tx ?? knex)<LinkRow>(tables.customer_user_customers).whereIn('customer_user_id', ids).orderBy('customer_id'));
    },

    async keyUserCustomerIds(ids: number[], tx?: Tx): Promise<Map<number, string[]>> {
      return groupBy(await (tx ?? knex)<LinkRow>(tables.customer_key_users).whereIn('customer_user_id', ids).orderBy('customer_id'));
    },

    async setExtraCustomerIds(id: number, customerIds: string[], tx: Tx): Promise<void> {
      await replaceLinks(tx, tables.customer_user_customers, id, customerIds);
    },

    async setKeyUserOf(id: number, customerIds: string[], tx: Tx): Promise<void> {
      await replaceLinks(tx, tables.customer_key_users, id, customerIds);
    },

    async addExtraCustomer(id: number, customerId: string, tx: Tx): Promise<void> {
      await tx(tables.customer_user_customers).insert({ customer_user_id: id, customer_id: customerId }).onConflict(['customer_user_id', 'customer_id']).ignore();
    },

    async removeExtraCustomer(id: number, customerId: string, tx: Tx): Promise<void> {
      await tx(tables.customer_user_customers).where({ customer_user_id: id, customer_id: customerId }).del();
    },

    async hasReports(id: number): Promise<boolean> {
      return (await users().where({ manager_id: id }).first('id')) !== undefined;
    },

    /** Ids in order of id after `afterId`, for rebuilding the search index in batches. */
    async idsAfter(afterId: number, limit: number): Promise<number[]> {
      const rows = await users().where('id', '>', afterId).orderBy('id').limit(limit).select('id');
      return rows.map((r) => Number(r.id));
    },

    /** Changes the version without other changes, so editors holding the old version get a conflict. */
    async bumpVersion(id: number, tx: Tx): Promise<void> {
      await users(tx).where({ id }).update({ updated_at: toDbTime() }).increment('version', 1);
    },
  };

  async function replaceLinks(tx: Tx, table: string, id: number, customerIds: string[]): Promise<void> {
    await tx(table).where({ customer_user_id: id }).del();
    if (customerIds.length) {
      try {
        await tx(table).insert(customerIds.map((customer_id) => ({ customer_user_id: id, customer_id })));
      } catch (err) {
        throw translateDbError(err, { field: 'customerIds', what: 'A customer ID' });
      }
    }
  }
}

interface LinkRow {
  customer_user_id: number;
  customer_id: string;
}

function groupBy(rows: LinkRow[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const id = Number(r.customer_user_id);
    out.set(id, [...(out.get(id) ?? []), r.customer_id]);
  }
  return out;
}

export type CustomerUserStore = ReturnType<typeof createCustomerUserStore>;
