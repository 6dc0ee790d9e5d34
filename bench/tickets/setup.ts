/**
 * The data the ticket bench files against, in a freshly migrated Loket database: the shipped kb/ (for the
 * suggest runs, through ../faq-search/setup.ts), a group and a queue bound to it, generated customers and
 * customer users written straight into the tables (../customer-search/fill.ts: the service would hash an
 * argon2 password and write an audit record per user), agents holding `create` in the queue's group with
 * an API token each, and one customer user with a password and `create` there for the portal page.
 * Everything but the bulk users goes through Loket's services, as an admin would do it.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import type { LoketInternals } from '../../plugin/loket.js';
import { fillDatabase } from '../customer-search/fill.js';
import { kbPages } from '../faq-search/fill.js';
import { setUpKnowledgeBase } from '../faq-search/setup.js';

export interface Account {
  login: string;
  password: string;
  token: string;
}

export interface TicketFixture {
  group: string;
  queue: string;
  /** Agents with `create` in the queue's group, each with an API token. */
  agents: Account[];
  /** Logins of the generated customer users the agents file for. */
  customerUsers: string[];
  customers: number;
  /** A customer user holding `create` in the group, to sign in to the portal. */
  portalUser: Account;
  /** Titles of the kb/ articles (English, published, public): what people type becomes a suggest query. */
  kbTitles: string[];
  kbArticles: number;
  seconds: number;
}

export interface FixtureOptions {
  agents: number;
  users: number;
  customers: number;
  tag: string;
  progress: (text: string) => void;
}

const secret = () => `pw-${randomBytes(12).toString('hex')}`;

export async function createTicketFixture(loket: LoketInternals, opts: FixtureOptions): Promise<TicketFixture> {
  const started = performance.now();
  const { services, knex, tables, dialect } = loket.container;

  opts.progress('  kb/ import');
  const kb = await setUpKnowledgeBase(loket);

  const adminLogin = `bench-admin-t${opts.tag}`;
  const { agent: adminAgent } = await services.agents.createFromOperator(
    { login: adminLogin, email: `${adminLogin}@example.test`, role: 'admin', password: secret(), firstName: 'Bench', lastName: 'Admin' },
    cliSubject(),
  );
  const admin = await services.actors.resolve({ type: 'agent', id: adminAgent.id }, 'session');
  if (!admin) throw new Error('the bench admin did not resolve to an actor');
  const subject = auditSubjectOf(admin, null);

  const group = `bench-tickets-${opts.tag}`;
  const queue = `Bench queue ${opts.tag}`;
  await services.groups.create(admin, { name: group, comment: 'ticket bench' }, subject);
  await services.queues.create(admin, { name: queue, group, comment: 'ticket bench', validity: 'valid' }, subject);

  opts.progress(`  ${opts.users} customer users in ${opts.customers} customers (bulk insert)`);
  await fillDatabase(knex, tables, dialect, { users: opts.users, customers: opts.customers, seed: 20261204, termsPerKind: 1, batch: 500, progress: opts.progress });
  const customerUsers = (await knex(tables.customer_users).orderBy('id').limit(opts.users).select<{ login: string }[]>('login')).map((r) => r.login);
  const [firstCustomer] = await knex(tables.customers).orderBy('customer_id').limit(1).select<{ customer_id: string }[]>('customer_id');
  if (!firstCustomer || customerUsers.length !== opts.users) throw new Error('the generated customer users are missing');

  opts.progress(`  ${opts.agents} agents with create in ${group} and an API token each`);
  const agents: Account[] = [];
  for (let i = 1; i <= opts.agents; i++) {
    const login = `bench-filer-${opts.tag}-${String(i).padStart(2, '0')}`;
    const password = secret();
    const { agent } = await services.agents.createFromOperator({ login, email: `${login}@example.test`, role: 'agent', password, firstName: 'Bench', lastName: `Filer ${i}` }, cliSubject());
    await services.agentGroups.setGroups(admin, login, { groups: [{ group, permissions: ['create'] }] }, subject);
    const token = (await services.apiTokens.issueFromOperator({ type: 'agent', id: agent.id }, login, { name: 'ticket bench' }, cliSubject())).plain;
    agents.push({ login, password, token });
  }

  const portalLogin = `bench-portal-${opts.tag}`;
  const portalPassword = secret();
  const { user } = await services.customerUsers.create(
    admin,
    { login: portalLogin, email: `${portalLogin}@example.test`, customerId: firstCustomer.customer_id, firstName: 'Bench', lastName: 'Portal', password: portalPassword },
    subject,
  );
  await services.assignments.setGroups(admin, { kind: 'customer-user', login: portalLogin }, { groups: [{ group, permissions: ['create'] }] }, subject);
  const portalToken = (await services.apiTokens.issueFromOperator({ type: 'customer-user', id: user.id }, portalLogin, { name: 'ticket bench' }, cliSubject())).plain;

  const pages = await kbPages(knex, tables);
  return {
    group,
    queue,
    agents,
    customerUsers,
    customers: opts.customers,
    portalUser: { login: portalLogin, password: portalPassword, token: portalToken },
    kbTitles: pages.map((p) => p.title),
    kbArticles: kb.kb.created,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The floor's table: the tickets table's columns and indexes (see migrations/…_tickets.ts) plus the message body. */
export const floorTableName = (prefix: string): string => `${prefix}floor_tickets`;

export async function createFloorTable(knex: Knex, prefix: string): Promise<void> {
  const name = floorTableName(prefix);
  await knex.schema.createTable(name, (t) => {
    t.increments('id');
    t.string('number', 32).nullable().unique({ indexName: `${prefix}floor_number_uq` });
    t.string('title', 200).notNullable();
    t.integer('queue_id').unsigned().notNullable();
    t.string('priority', 16).notNullable().defaultTo('normal');
    t.string('state', 16).notNullable().defaultTo('new');
    t.string('type', 16).notNullable().defaultTo('incident');
    t.string('customer_id', 150).notNullable();
    t.string('customer_user_login', 191).notNullable();
    t.string('created_by', 40).notNullable();
    t.string('created_by_name', 200).notNullable();
    t.text('customer_snapshot').notNullable();
    t.text('body', 'mediumtext').notNullable();
    t.string('idempotency_key', 191).notNullable().unique({ indexName: `${prefix}floor_key_uq` });
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['customer_user_login', 'updated_at'], `${prefix}floor_cu_ix`);
    t.index(['customer_id', 'updated_at'], `${prefix}floor_cust_ix`);
    t.index(['queue_id', 'state', 'updated_at'], `${prefix}floor_queue_ix`);
    t.index(['state', 'updated_at'], `${prefix}floor_state_ix`);
    t.index(['created_at'], `${prefix}floor_created_ix`);
  });
}
