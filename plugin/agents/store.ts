import type { Knex } from 'knex';
import { translateDbError } from '../db/errors.js';
import type { TableNames } from '../db/tables.js';
import { toDbTime } from '../db/values.js';
import type { Agent, AgentRole, Validity } from './schema.js';

interface AgentRow {
  id: number;
  login: string;
  email: string | null;
  first_name: string;
  last_name: string;
  role: string;
  password_hash: string | null;
  validity: string;
  language: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  version: number;
}

const toAgent = (row: AgentRow): Agent => ({
  id: Number(row.id),
  login: row.login,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  role: row.role as AgentRole,
  validity: row.validity as Validity,
  language: row.language,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastLoginAt: row.last_login_at,
  version: Number(row.version),
});

export interface NewAgentRow {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  role: AgentRole;
  passwordHash: string;
  language: string | null;
}

export function createAgentStore(knex: Knex, tables: TableNames) {
  const agents = () => knex<AgentRow>(tables.agents);

  return {
    async insert(input: NewAgentRow): Promise<Agent> {
      const now = toDbTime();
      try {
        const [id] = await agents().insert({
          login: input.login,
          email: input.email,
          first_name: input.firstName,
          last_name: input.lastName,
          role: input.role,
          password_hash: input.passwordHash,
          language: input.language,
          validity: 'valid',
          created_at: now,
          updated_at: now,
          version: 1,
        });
        const created = await this.findById(Number(id));
        if (!created) throw new Error('agent vanished after insert');
        return created;
      } catch (err) {
        throw translateDbError(err, { field: 'login', what: 'This login' });
      }
    },

    async findById(id: number): Promise<Agent | null> {
      const row = await agents().where({ id }).first();
      return row ? toAgent(row) : null;
    },

    /** With the password hash: only the login path needs it. */
    async findCredentials(login: string): Promise<{ agent: Agent; passwordHash: string | null } | null> {
      const row = await agents().where({ login }).first();
      return row ? { agent: toAgent(row), passwordHash: row.password_hash } : null;
    },

    async findByLogin(login: string): Promise<Agent | null> {
      const row = await agents().where({ login }).first();
      return row ? toAgent(row) : null;
    },

    async list(limit: number): Promise<Agent[]> {
      const rows = await agents().orderBy('login').limit(limit);
      return rows.map(toAgent);
    },

    async count(): Promise<number> {
      const row = (await agents().count({ n: '*' }).first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    async recordLogin(id: number): Promise<void> {
      await agents().where({ id }).update({ last_login_at: toDbTime() });
    },

    async setValidity(id: number, validity: Validity): Promise<void> {
      await agents().where({ id }).update({ validity, updated_at: toDbTime() }).increment('version', 1);
    },
  };
}

export type AgentStore = ReturnType<typeof createAgentStore>;
