import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';

const CANDIDATE_CAP = 2000;

/**
 * The SQL side of the scope rule: candidate customer users and customers for pickers. Candidates are a
 * superset; scope.ts decides every one of them on the stored user before anything is shown or done.
 */
export function createScopeStore(knex: Knex, tables: TableNames) {
  const validGroupIds = (groupNames: readonly string[]) => knex(tables.groups).whereIn('name', [...groupNames]).where('validity', 'valid').select('id');

  return {
    async reportIds(managerId: number): Promise<number[]> {
      const rows = await rowsOf<{ id: number }>(knex(tables.customer_users).where('manager_id', managerId).orderBy('login').limit(CANDIDATE_CAP).select('id'));
      return rows.map((r) => Number(r.id));
    },

    /** Do the defaults grant one of these groups to everybody? Then every customer user is a candidate. */
    async defaultsHold(groupNames: readonly string[]): Promise<boolean> {
      if (!groupNames.length) return false;
      const [row] = await rowsOf<{ n: unknown }>(knex(tables.default_groups).whereIn('group_id', validGroupIds(groupNames)).count({ n: '*' }));
      return Number(row?.n ?? 0) > 0;
    },

    /** Users with a direct or directory grant in one of the groups. */
    async userIdsHolding(groupNames: readonly string[]): Promise<number[]> {
      if (!groupNames.length) return [];
      const direct = await rowsOf<{ id: number }>(knex(tables.customer_user_groups).whereIn('group_id', validGroupIds(groupNames)).distinct('customer_user_id as id').limit(CANDIDATE_CAP));
      const directory = await rowsOf<{ id: number }>(knex(tables.directory_group_grants).whereIn('group_id', validGroupIds(groupNames)).distinct('customer_user_id as id').limit(CANDIDATE_CAP));
      return [...new Set([...direct, ...directory].map((r) => Number(r.id)))];
    },

    /** Customers holding a grant in one of the groups. */
    async customersHolding(groupNames: readonly string[]): Promise<string[]> {
      if (!groupNames.length) return [];
      const rows = await rowsOf<{ customer_id: string }>(knex(tables.customer_groups).whereIn('group_id', validGroupIds(groupNames)).distinct('customer_id').limit(CANDIDATE_CAP));
      return rows.map((r) => r.customer_id);
    },

    /** Valid groups granted to one of these customers. */
    async groupsOfCustomers(customerIds: readonly string[]): Promise<string[]> {
      if (!customerIds.length) return [];
      const rows = await rowsOf<{ name: string }>(
        knex(`${tables.customer_groups} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').whereIn('a.customer_id', [...customerIds]).where('g.validity', 'valid').distinct('g.name as name'),
      );
      return rows.map((r) => r.name).sort();
    },

    async validGroups(): Promise<string[]> {
      return (await rowsOf<{ name: string }>(knex(tables.groups).where('validity', 'valid').orderBy('name_key').limit(CANDIDATE_CAP).select('name'))).map((r) => r.name);
    },

    async validServices(): Promise<string[]> {
      return (await rowsOf<{ name: string }>(knex(tables.services).where('validity', 'valid').orderBy('name_key').limit(CANDIDATE_CAP).select('name'))).map((r) => r.name);
    },

    /** Customers by ID with their names; all valid ones when `ids` is null. */
    async customers(ids: readonly string[] | null): Promise<{ customerId: string; name: string }[]> {
      const q = knex(tables.customers).where('validity', 'valid').orderBy('customer_id').limit(CANDIDATE_CAP).select('customer_id', 'name');
      if (ids) void q.whereIn('customer_id', ids.length ? [...ids] : ['\u0000']);
      return (await rowsOf<{ customer_id: string; name: string }>(q)).map((r) => ({ customerId: r.customer_id, name: r.name }));
    },

    /** Is the login an agent's? (One login form serves both kinds of people.) Inside a run's transaction. */
    async agentLoginTaken(login: string, tx: Knex.Transaction): Promise<boolean> {
      const [row] = await rowsOf<{ id: number }>(tx(tables.agents).where('login', login.toLowerCase()).select('id').limit(1));
      return row !== undefined;
    },

    /** The same outside a transaction (checks before a run is accepted). */
    async agentLoginTakenOutside(login: string): Promise<boolean> {
      const [row] = await rowsOf<{ id: number }>(knex(tables.agents).where('login', login.toLowerCase()).select('id').limit(1));
      return row !== undefined;
    },

    /** Customer users who are key users of a customer. */
    async keyUserIds(customerId: string): Promise<number[]> {
      const rows = await rowsOf<{ id: number }>(knex(tables.customer_key_users).where('customer_id', customerId).select('customer_user_id as id'));
      return rows.map((r) => Number(r.id));
    },

    /** An agent's address and language, for mails (null when invalid). */
    async agentContact(id: number): Promise<{ email: string | null; language: string | null } | null> {
      const [row] = await rowsOf<{ email: string | null; language: string | null }>(knex(tables.agents).where({ id, validity: 'valid' }).select('email', 'language'));
      return row ?? null;
    },

    /** Agents holding any permission in a group, with what the approval list shows of them. */
    async agentsInGroup(group: string): Promise<{ id: number; login: string; name: string; email: string | null; language: string | null }[]> {
      const rows = await rowsOf<{ id: number; login: string; first_name: string; last_name: string; email: string | null; language: string | null }>(
        knex(`${tables.agent_groups} as ag`)
          .join(`${tables.agents} as a`, 'a.id', 'ag.agent_id')
          .join(`${tables.groups} as g`, 'g.id', 'ag.group_id')
          .where('g.name', group)
          .where('a.validity', 'valid')
          .distinct('a.id as id', 'a.login as login', 'a.first_name as first_name', 'a.last_name as last_name', 'a.email as email', 'a.language as language'),
      );
      return rows.map((r) => ({ id: Number(r.id), login: r.login, name: `${r.first_name} ${r.last_name}`.trim() || r.login, email: r.email, language: r.language }));
    },
  };
}

export type ScopeStore = ReturnType<typeof createScopeStore>;
