import type { Actor } from '../../plugin/access/actor.js';
import { auditSubjectOf } from '../../plugin/audit/service.js';
import type { DelegationView } from '../../plugin/delegation/types.js';
import type { AddressObject, ParsedMail } from 'mailparser';
import { csrfFrom, unique, type Agent, type TestApp } from './app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from './customers.js';
import type { TestSmtp } from './smtp.js';

/**
 * Two organisations for delegation tests: C with two key users and a plain user, D with a key user and
 * a consultant (a plain customer user of D) who gets delegations into C.
 */
export interface DelegationWorld {
  admin: Actor;
  c: string;
  d: string;
  keyUserC: TestCustomerUser;
  keyUserC2: TestCustomerUser;
  userC: TestCustomerUser;
  keyUserD: TestCustomerUser;
  consultant: TestCustomerUser;
}

export async function delegationWorld(app: TestApp): Promise<DelegationWorld> {
  const admin = await adminActor(app);
  const c = unique('C');
  const d = unique('D');
  const keyUserC = await createCustomerUser(app, admin, { customerId: c, keyUserOf: [c] });
  const keyUserC2 = await createCustomerUser(app, admin, { customerId: c, keyUserOf: [c] });
  const userC = await createCustomerUser(app, admin, { customerId: c });
  const keyUserD = await createCustomerUser(app, admin, { customerId: d, keyUserOf: [d] });
  const consultant = await createCustomerUser(app, admin, { customerId: d });
  return { admin, c, d, keyUserC, keyUserC2, userC, keyUserD, consultant };
}

/** The actor of a test customer user, as a request would see it. */
export async function actorOf(app: TestApp, user: TestCustomerUser): Promise<Actor> {
  const actor = await app.loket.container.services.actors.resolve({ type: 'customer-user', id: user.id }, 'session');
  if (!actor) throw new Error(`${user.login} did not resolve`);
  return actor;
}

/** Grants through the service, as key user `by` of the delegation's customer. */
export async function grantDelegation(app: TestApp, by: TestCustomerUser, input: { customerId: string; email: string; role?: 'customer' | 'key-user'; endsAt?: string | null; reason?: string }): Promise<DelegationView> {
  const actor = await actorOf(app, by);
  return app.loket.container.services.delegations.grant(actor, { role: 'customer', reason: 'test', ...input }, auditSubjectOf(actor));
}

/** The session cookie (`name=value`) a response sets, if any. */
export function sessionCookieOf(res: { headers: Record<string, unknown> }, name = 'loket.sid'): string | undefined {
  const header = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []);
  return header.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`));
}

/** A page's CSRF token for this cookie-carrying agent (a switch renews the session, and with it the token). */
export async function freshCsrf(agent: Agent): Promise<string> {
  return csrfFrom((await agent.get('/portal').expect(200)).text);
}

/** Every address a delivered mail went to, lower-cased. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = ([] as AddressObject[]).concat(mail.to ?? []);
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** Waits for the background delegation mails, then answers those delivered since `seen`. */
export async function delegationMailsSince(app: TestApp, smtp: TestSmtp, seen: number): Promise<ParsedMail[]> {
  await app.loket.container.services.delegations.settle();
  return smtp.messages.slice(seen);
}
