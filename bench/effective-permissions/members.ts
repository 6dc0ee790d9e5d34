/**
 * The matrix group's 10,000 customer-user members, written straight into Loket's tables: the user rows
 * and search terms in the shape plugin/customers/backends/db/store.ts `insert` writes them (terms from the
 * same `searchTermsFor(DEFAULT_DB_MAP, …)`), and the group rows as plugin/access/groups/store.ts
 * `setMemberPermissions` writes them (one row per customer user, group and permission type). Going through
 * the services would hash an argon2 password and write an audit record per user: minutes for 10,000, for
 * rows the measured screens only read.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../../plugin/auth/passwords.js';
import { searchTermsFor } from '../../plugin/customers/backends/db/backend.js';
import { DEFAULT_DB_MAP } from '../../plugin/customers/field-map.js';
import type { Dialect } from '../../plugin/db/knex-factory.js';
import type { TableNames } from '../../plugin/db/tables.js';
import { toDbTime } from '../../plugin/db/values.js';

export interface Members {
  /** Logins in the order the matrix lists them (by login). */
  logins: string[];
  groupRows: number;
  searchRows: number;
  seconds: number;
}

/** `member-00001` …: zero-padded, so login order is number order and a page's first login is known. */
export const memberLogin = (n: number, width: number): string => `member-${String(n).padStart(width, '0')}`;

/** Mostly `ro`, every third also `create`, every tenth `rw` alone: one to two rows per member. */
const permissionsOf = (n: number): string[] => (n % 10 === 0 ? ['rw'] : n % 3 === 0 ? ['ro', 'create'] : ['ro']);

/** SQLite caps a compound SELECT (knex's multi-row insert there) at 500 terms. */
const ROWS_PER_INSERT = 500;
const USERS_PER_TRANSACTION = 2000;

async function insertChunks(tx: Knex.Transaction, table: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await tx(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
}

export async function insertMembers(
  knex: Knex,
  tables: TableNames,
  dialect: Dialect,
  opts: { count: number; groupId: number; customers: string[]; progress: (text: string) => void },
): Promise<Members> {
  const started = performance.now();
  const now = toDbTime();
  // One real hash for everybody: the rows get the width of real ones at the cost of one hash.
  const passwordHash = await hashPassword(`bench-member-${now}`);
  const width = String(opts.count).length;
  const maxRow = (await knex(tables.customer_users).max({ id: 'id' }).first()) as { id: unknown } | undefined;
  const firstId = Number(maxRow?.id ?? 0) + 1;
  const logins: string[] = [];
  let groupRows = 0;
  let searchRows = 0;
  for (let from = 1; from <= opts.count; from += USERS_PER_TRANSACTION) {
    const numbers = Array.from({ length: Math.min(USERS_PER_TRANSACTION, opts.count - from + 1) }, (_, i) => from + i);
    const users = numbers.map((n) => {
      const login = memberLogin(n, width);
      const email = `${login}@example.test`;
      const customerId = opts.customers[n % opts.customers.length]!;
      return { id: firstId + n - 1, n, login, email, customerId, firstName: 'Member', lastName: `Number ${n}` };
    });
    const userRows = users.map((u) => ({
      id: u.id, login: u.login, email: u.email, email_key: u.email, email_unique: u.email, customer_id: u.customerId, title: '',
      first_name: u.firstName, last_name: u.lastName, phone: '', fax: '', mobile: '', street: '', zip: '', city: '', country: '',
      comment: null, extra_json: null, validity: 'valid', password_hash: passwordHash, manager_id: null, language: null, source: 'db',
      created_at: now, updated_at: now, last_login_at: null, anonymised_at: null, version: 1,
    }));
    const terms = users.flatMap((u) =>
      searchTermsFor(DEFAULT_DB_MAP, {
        title: null, firstName: u.firstName, lastName: u.lastName, login: u.login, email: u.email, customerId: u.customerId,
        phone: null, fax: null, mobile: null, street: null, zip: null, city: null, country: null, comment: null,
      }).map((t) => ({ customer_user_id: u.id, ...t })),
    );
    const grants = users.flatMap((u) => permissionsOf(u.n).map((permission) => ({ customer_user_id: u.id, group_id: opts.groupId, permission })));
    await knex.transaction(async (tx) => {
      await insertChunks(tx, tables.customer_users, userRows);
      await insertChunks(tx, tables.customer_user_search, terms);
      await insertChunks(tx, tables.customer_user_groups, grants);
    });
    logins.push(...users.map((u) => u.login));
    groupRows += grants.length;
    searchRows += terms.length;
  }
  opts.progress(`  ${opts.count} members, ${groupRows} group rows, ${searchRows} search-term rows`);
  // MariaDB would refresh its index statistics by itself shortly after a bulk change; doing it now gives the
  // plans a settled server picks. SQLite is left as Loket leaves it (Loket never runs ANALYZE there).
  if (dialect === 'mysql') await knex.raw('analyze table ??, ??, ??', [tables.customer_users, tables.customer_user_groups, tables.customer_user_search]);
  return { logins, groupRows, searchRows, seconds: (performance.now() - started) / 1000 };
}
