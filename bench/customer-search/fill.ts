/**
 * Fills a migrated Loket database with generated customers and customer users, straight into Loket's
 * tables in the row shape of plugin/customers/backends/db/store.ts and plugin/customers/customer-store.ts,
 * with the search index computed by the same code Loket uses (`searchTermsFor(DEFAULT_DB_MAP, …)`).
 * Going through the service would hash a password and write an audit record per user: hours for a million.
 *
 * The term index (`<prefix>cus_term_ix`, as the customers migration defines it) is dropped for the load and
 * built again afterwards: one sorted index build instead of millions of inserts at random places in a
 * B-tree that no longer fits in MariaDB's buffer pool. The schema afterwards is the migration's.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../../plugin/auth/passwords.js';
import { searchTermsFor } from '../../plugin/customers/backends/db/backend.js';
import { DEFAULT_DB_MAP, type FieldValues } from '../../plugin/customers/field-map.js';
import { normaliseForSearch } from '../../plugin/customers/search-terms.js';
import type { Dialect } from '../../plugin/db/knex-factory.js';
import type { TableNames } from '../../plugin/db/tables.js';
import { toDbTime } from '../../plugin/db/values.js';
import { createUserGenerator, generateCustomers, type GeneratedUser, type SearchTerm } from './people.js';

export interface FillOptions {
  users: number;
  customers: number;
  seed: number;
  termsPerKind: number;
  /** Users per transaction. */
  batch: number;
  progress: (text: string) => void;
}

export interface FillResult {
  users: number;
  customers: number;
  termRows: number;
  extraLinks: number;
  seconds: { rows: number; index: number; analyse: number };
  terms: SearchTerm[];
  /** A few generated users, to check that both servers find them. */
  probes: GeneratedUser[];
}

/**
 * Rows per INSERT statement. knex writes a multi-row insert for SQLite as a compound SELECT, which SQLite
 * caps at 500 terms; for MariaDB a few thousand rows make a packet it takes easily.
 */
const rowsPerInsert = (dialect: Dialect) => (dialect === 'sqlite' ? { users: 500, terms: 500 } : { users: 500, terms: 4000 });

const termIndexName = (tables: TableNames) => `${tables.prefix}cus_term_ix`;

/** The map fields of a generated user, as validateFieldValues would hand them to searchTermsFor. */
export function fieldsOf(u: GeneratedUser): FieldValues {
  const orNull = (s: string) => (s === '' ? null : s);
  return {
    title: orNull(u.title), firstName: u.firstName, lastName: u.lastName, login: u.login, email: u.email, customerId: u.customerId,
    phone: orNull(u.phone), fax: null, mobile: null, street: orNull(u.street), zip: orNull(u.zip), city: orNull(u.city),
    country: orNull(u.country), comment: null,
  };
}

async function insertChunks(tx: Knex.Transaction, table: string, rows: object[], size: number): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await tx(table).insert(rows.slice(i, i + size));
}

export async function fillDatabase(knex: Knex, tables: TableNames, dialect: Dialect, opts: FillOptions): Promise<FillResult> {
  const now = toDbTime();
  const started = performance.now();
  const customers = generateCustomers(opts.customers, opts.seed);
  await knex(tables.customers).insert(
    customers.map((c) => ({
      customer_id: c.customerId, name: c.name, name_key: normaliseForSearch(c.name).slice(0, 191), street: '', zip: '', city: c.city,
      country: c.country, url: '', comment: null, validity: 'valid', created_at: now, updated_at: now, version: 1,
    })),
  );

  // One real argon2 hash for everybody: the rows get the width of real ones, at the cost of one hash.
  const passwordHash = await hashPassword(`bench-${opts.seed}-not-a-login`);
  const generator = createUserGenerator({ customers, seed: opts.seed, termsPerKind: opts.termsPerKind });
  const probes: GeneratedUser[] = [];
  const probeEvery = Math.max(1, Math.floor(opts.users / 5));

  await knex.schema.alterTable(tables.customer_user_search, (t) => {
    t.dropIndex(['term', 'customer_user_id'], termIndexName(tables));
  });

  const chunk = rowsPerInsert(dialect);
  let termRows = 0;
  let extraLinks = 0;
  let nextReport = 0.05;
  for (let first = 1; first <= opts.users; first += opts.batch) {
    const users = Array.from({ length: Math.min(opts.batch, opts.users - first + 1) }, (_, i) => generator.user(first + i));
    for (const u of users) if ((u.id - 1) % probeEvery === 0) probes.push(u);
    const terms = users.flatMap((u) => searchTermsFor(DEFAULT_DB_MAP, fieldsOf(u)).map((t) => ({ customer_user_id: u.id, ...t })));
    const extras = users.filter((u) => u.extraCustomerId !== null).map((u) => ({ customer_user_id: u.id, customer_id: u.extraCustomerId }));
    await knex.transaction(async (tx) => {
      await insertChunks(tx, tables.customer_users, users.map((u) => userRow(u, passwordHash, now)), chunk.users);
      await insertChunks(tx, tables.customer_user_search, terms, chunk.terms);
      if (extras.length) await insertChunks(tx, tables.customer_user_customers, extras, chunk.terms);
    });
    termRows += terms.length;
    extraLinks += extras.length;
    const done = (first + users.length - 1) / opts.users;
    if (done >= nextReport || done === 1) {
      const seconds = (performance.now() - started) / 1000;
      opts.progress(`  ${Math.round(done * 100)} %: ${first + users.length - 1} users, ${termRows} term rows, ${seconds.toFixed(0)} s (${Math.round((first + users.length - 1) / seconds)} users/s)`);
      nextReport = Math.floor(done * 20 + 1) / 20;
    }
  }
  const rowsDone = performance.now();

  opts.progress('  building the term index');
  await knex.schema.alterTable(tables.customer_user_search, (t) => {
    t.index(['term', 'customer_user_id'], termIndexName(tables));
  });
  const indexDone = performance.now();

  // MariaDB would refresh its index statistics by itself shortly after a bulk change; doing it now makes
  // the query plans of this run the ones a settled server picks. SQLite is left as Loket leaves it: Loket
  // never runs ANALYZE, so the planner has no sqlite_stat1 in production either.
  if (dialect === 'mysql') {
    opts.progress('  ANALYZE TABLE');
    await knex.raw('analyze table ??, ??, ??, ??', [tables.customers, tables.customer_users, tables.customer_user_customers, tables.customer_user_search]);
  }
  const analyseDone = performance.now();

  return {
    users: opts.users,
    customers: customers.length,
    termRows,
    extraLinks,
    seconds: { rows: (rowsDone - started) / 1000, index: (indexDone - rowsDone) / 1000, analyse: (analyseDone - indexDone) / 1000 },
    terms: generator.terms(),
    probes,
  };
}

function userRow(u: GeneratedUser, passwordHash: string, now: string) {
  const email = u.email.toLowerCase();
  return {
    id: u.id, login: u.login, email, email_key: email, email_unique: email, customer_id: u.customerId, title: u.title,
    first_name: u.firstName, last_name: u.lastName, phone: u.phone, fax: '', mobile: '', street: u.street, zip: u.zip,
    city: u.city, country: u.country, comment: null, extra_json: null, validity: 'valid', password_hash: passwordHash,
    manager_id: null, language: null, source: 'db', created_at: now, updated_at: now, last_login_at: null, anonymised_at: null,
    version: 1,
  };
}
