import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';

/**
 * A week's delegation into Acme for Ola Hansen of Fjord (granted by Acme's key user, so Ola sees the
 * organisation switcher), and a deputy for Jan de Vries next month (his holiday: Sanne Bakker stands in).
 */
export async function seedDemoDelegation(c: Container, subject: AuditSubject): Promise<void> {
  const { customerUsers, actors, delegations, deputies } = c.services;
  const jan = await customerUsers.findByLogin('jan.devries');
  const ola = await customerUsers.findByLogin('ola.hansen');
  if (!jan || !ola) throw new Error('demo customer users missing');
  const keyUser = await actors.resolve({ type: 'customer-user', id: jan.id }, 'session');
  if (!keyUser) throw new Error('demo key user missing');
  await delegations.grant(keyUser, { customerId: 'acme', email: ola.email, role: 'customer', reason: 'Helps Acme migrate its mailboxes this week.' }, subject);
  const day = 86_400_000;
  const start = new Date(Date.now() + 30 * day).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 44 * day).toISOString().slice(0, 10);
  await deputies.create(keyUser, { deputy: 'sanne.bakker', startsAt: start, endsAt: end, reason: 'Summer holiday' }, subject);
}
