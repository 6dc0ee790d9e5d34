/**
 * Creates the plan (./fixture.ts) in a migrated Loket database through Loket's own services, as an admin
 * would through the screens or the API: customers, groups, the services tree, one customer user in five
 * customers, and every assignment (each `set…` call is one audited transaction). Then the accounts the
 * HTTP runs use: an admin (password for the session, Bearer token), a plain agent and the customer user
 * (Bearer tokens), so /api/v1/me can be compared between them.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../plugin/access/actor.js';
import { groupedGrants } from '../../plugin/access/assignments.js';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import type { LoketInternals } from '../../plugin/loket.js';
import type { Plan } from './fixture.js';

export interface Account {
  id: number;
  login: string;
  password: string;
  token: string;
}

export interface Fixture {
  admin: Account & { actor: Actor };
  agent: Account;
  user: Account;
  seconds: number;
}

const secret = () => `pw-${randomBytes(12).toString('hex')}`;

async function agentAccount(loket: LoketInternals, role: 'admin' | 'agent', tag: string): Promise<Account> {
  const { agents, apiTokens } = loket.container.services;
  const login = `bench-${role}-${tag}`;
  const password = secret();
  const { agent } = await agents.createFromOperator({ login, email: `${login}@example.test`, role, password, firstName: 'Bench', lastName: role }, cliSubject());
  const token = (await apiTokens.issueFromOperator({ type: 'agent', id: agent.id }, login, { name: 'effective-permissions bench' }, cliSubject())).plain;
  return { id: agent.id, login, password, token };
}

export async function createFixture(loket: LoketInternals, plan: Plan, tag: string, progress: (text: string) => void): Promise<Fixture> {
  const started = performance.now();
  const { services } = loket.container;
  const adminAccount = await agentAccount(loket, 'admin', tag);
  const actor = await services.actors.resolve({ type: 'agent', id: adminAccount.id }, 'token');
  if (!actor) throw new Error('the bench admin did not resolve to an actor');
  const subject = auditSubjectOf(actor, null);
  const agent = await agentAccount(loket, 'agent', tag);

  progress(`  ${plan.customers.length} customers, ${plan.groups.length} groups, ${plan.services.length} services`);
  for (const customerId of plan.customers) await services.customers.create(actor, { customerId, name: `Bench customer ${customerId}` }, subject);
  for (const name of plan.groups) await services.groups.create(actor, { name, comment: 'effective-permissions bench' }, subject);
  // Catalogue order puts every parent before its children, as the service requires.
  for (const name of plan.services) await services.catalogue.create(actor, { name }, subject);

  const login = `bench-user-${tag}`;
  const password = secret();
  const { user } = await services.customerUsers.create(
    actor,
    { login, email: `${login}@example.test`, customerId: plan.customers[0], customerIds: plan.customers.slice(1), firstName: 'Bench', lastName: 'User', password },
    subject,
  );

  progress('  assignments: user, customers, defaults, groups');
  const { assignments } = services;
  await assignments.setGroups(actor, { kind: 'customer-user', login }, { groups: groupedGrants(plan.userGrants) }, subject);
  for (const { customerId, grants } of plan.customerGrants) await assignments.setGroups(actor, { kind: 'customer', customerId }, { groups: groupedGrants(grants) }, subject);
  for (const { scope, grants } of plan.defaultGrants) await assignments.setGroups(actor, { kind: 'default', scope }, { groups: groupedGrants(grants) }, subject);
  await assignments.setServices(actor, { kind: 'customer-user', login }, { services: plan.userServices }, subject);
  for (const { customerId, services: names } of plan.customerServices) await assignments.setServices(actor, { kind: 'customer', customerId }, { services: names }, subject);
  for (const { group, services: names } of plan.groupServices) await assignments.setServices(actor, { kind: 'group', name: group }, { services: names }, subject);
  await assignments.setServices(actor, { kind: 'default', scope: 'customer-users' }, { services: plan.defaultServices }, subject);

  const userToken = (await services.apiTokens.issueFromOperator({ type: 'customer-user', id: user.id }, login, { name: 'effective-permissions bench' }, cliSubject())).plain;
  return {
    admin: { ...adminAccount, actor },
    agent,
    user: { id: user.id, login, password, token: userToken },
    seconds: (performance.now() - started) / 1000,
  };
}
