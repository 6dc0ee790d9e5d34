import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import type { StoredForm } from '../../plugin/forms/types.js';
import type { TestApp } from './app.js';
import { unique } from './app.js';
import { createCustomerUser, type TestCustomerUser } from './customers.js';
import { actorOf, createQueue } from './tickets.js';

/** A form definition with sensible defaults; the key is fresh unless given. */
export function formInput(overrides: Partial<FormDefinitionInput> & { queue: string }): FormDefinitionInput {
  const { queue, ...rest } = overrides;
  return {
    key: unique('f').toLowerCase(),
    title: { en: 'Test form' },
    category: 'organisation',
    audience: ['key-user'],
    target: 'customer-user',
    ticket: { queue },
    ...rest,
  };
}

export async function saveForm(app: TestApp, admin: Actor, input: FormDefinitionInput): Promise<StoredForm> {
  return app.loket.container.services.forms.save(admin, input.key, input, undefined, cliSubject());
}

/**
 * Two customers: in C a key user, a manager with a report and a plain member; in D one user (another
 * tenant). A queue for request tickets.
 */
export interface FormsWorld {
  admin: Actor;
  queue: string;
  group: string;
  c: string;
  d: string;
  keyUser: TestCustomerUser;
  manager: TestCustomerUser;
  report: TestCustomerUser;
  member: TestCustomerUser;
  outsider: TestCustomerUser;
}

export async function formsWorld(app: TestApp, admin: Actor): Promise<FormsWorld> {
  const { queue, group } = await createQueue(app, admin);
  const c = unique('C');
  const d = unique('D');
  const keyUser = await createCustomerUser(app, admin, { customerId: c, keyUserOf: [c] });
  const manager = await createCustomerUser(app, admin, { customerId: c });
  const report = await createCustomerUser(app, admin, { customerId: c, extra: { manager: manager.login } });
  const member = await createCustomerUser(app, admin, { customerId: c });
  const outsider = await createCustomerUser(app, admin, { customerId: d });
  return { admin, queue, group, c, d, keyUser, manager, report, member, outsider };
}

export const customerActor = (app: TestApp, user: { id: number }): Promise<Actor> => actorOf(app, user, 'customer-user');
