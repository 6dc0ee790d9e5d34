import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { TestApp, TestAccount } from './app.js';
import { unique } from './app.js';
import { createCustomerUser, type TestCustomerUser } from './customers.js';

/** A fresh group and a queue bound to it. */
export async function createQueue(app: TestApp, admin: Actor, opts: { group?: string } = {}): Promise<{ queue: string; group: string }> {
  const { groups, queues } = app.loket.container.services;
  const group = opts.group ?? unique('grp');
  if (!opts.group) await groups.create(admin, { name: group }, cliSubject());
  const queue = unique('Queue');
  await queues.create(admin, { name: queue, group, comment: '', validity: 'valid' }, cliSubject());
  return { queue, group };
}

/** A customer user holding `permissions` in `group` directly. */
export async function customerIn(app: TestApp, admin: Actor, group: string, permissions: string[], opts: Parameters<typeof createCustomerUser>[2] = {}): Promise<TestCustomerUser> {
  const user = await createCustomerUser(app, admin, opts);
  await app.loket.container.services.assignments.setGroups(admin, { kind: 'customer-user', login: user.login }, { groups: [{ group, permissions }] }, cliSubject());
  return user;
}

/** An agent holding `permissions` in `group`. */
export async function agentIn(app: TestApp, admin: Actor, group: string, permissions: string[]): Promise<TestAccount> {
  const agent = await app.createAgent('agent');
  await app.loket.container.services.agentGroups.setGroups(admin, agent.login, { groups: [{ group, permissions }] }, cliSubject());
  return agent;
}

/** The fresh actor of an account, as a request would resolve it. */
export async function actorOf(app: TestApp, account: { id: number }, type: 'agent' | 'customer-user'): Promise<Actor> {
  const actor = await app.loket.container.services.actors.resolve({ type, id: account.id }, 'session');
  if (!actor) throw new Error(`${type} ${account.id} did not resolve`);
  return actor;
}
