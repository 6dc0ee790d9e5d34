import { randomBytes } from 'node:crypto';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { TestApp, TestAccount } from './app.js';
import { unique } from './app.js';

/** An admin actor for arranging data through the services directly. */
export async function adminActor(app: TestApp): Promise<Actor> {
  const admin = await app.createAgent('admin');
  const actor = await app.loket.container.services.actors.resolve({ type: 'agent', id: admin.id }, 'session');
  if (!actor) throw new Error('admin did not resolve');
  return actor;
}

/** Creates the customer unless it exists (IDs compare exactly). */
export async function ensureCustomer(app: TestApp, admin: Actor, customerId: string, name = `Customer ${customerId}`): Promise<void> {
  const { customers } = app.loket.container.services;
  if (await customers.findExact(customerId)) return;
  await customers.create(admin, { customerId, name }, cliSubject());
}

export interface TestCustomerUser extends TestAccount {
  customerId: string;
}

/** A valid customer user with a known password, in `customerId` (created if needed). */
export async function createCustomerUser(
  app: TestApp,
  admin: Actor,
  opts: { customerId?: string; customerIds?: string[]; keyUserOf?: string[]; extra?: Record<string, unknown> } = {},
): Promise<TestCustomerUser> {
  const customerId = opts.customerId ?? unique('cust');
  for (const id of [customerId, ...(opts.customerIds ?? [])]) await ensureCustomer(app, admin, id);
  const login = unique('cu');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const email = `${login}@example.test`;
  const { user } = await app.loket.container.services.customerUsers.create(
    admin,
    { login, email, customerId, firstName: 'Test', lastName: 'Customer', password, customerIds: opts.customerIds ?? [], keyUserOf: opts.keyUserOf ?? [], ...opts.extra },
    cliSubject(),
  );
  return { id: user.id, login, password, email, customerId };
}
