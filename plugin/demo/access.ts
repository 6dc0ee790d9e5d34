import type { Actor } from '../access/actor.js';
import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';

const GROUPS = [
  { name: 'users', comment: 'Everybody: the basics every customer user may see.' },
  { name: 'it-support', comment: 'IT questions, accounts, laptops and e-mail.' },
  { name: 'facilities', comment: 'Desks, rooms, access badges and building matters.' },
  { name: 'finance', comment: 'Invoices and contracts; key users only.' },
];

const SERVICES = [
  'IT', 'IT::E-mail', 'IT::Laptop', 'IT::Accounts', 'IT::Accounts::Password reset',
  'Facilities', 'Facilities::Desk', 'Facilities::Access badge', 'Finance', 'Finance::Invoices',
];

/**
 * Groups, a services tree and assignments chosen so that every reason shows up somewhere: Jan has
 * it-support directly, Acme holds facilities with rw (implied ro and create), everybody holds users by
 * default, Lars gets Acme's groups through his extra customer, and services come from each source.
 */
export async function seedDemoAccess(c: Container, actor: Actor, subject: AuditSubject): Promise<void> {
  const { groups, catalogue, assignments } = c.services;
  for (const group of GROUPS) await groups.create(actor, group, subject);
  for (const name of SERVICES) await catalogue.create(actor, { name }, subject);

  await assignments.setGroups(actor, { kind: 'default', scope: 'customer-users' }, { groups: [{ group: 'users', permissions: ['ro', 'create'] }] }, subject);
  await assignments.setGroups(actor, { kind: 'customer', customerId: 'acme' }, { groups: [{ group: 'facilities', permissions: ['rw'] }, { group: 'it-support', permissions: ['ro'] }] }, subject);
  await assignments.setGroups(actor, { kind: 'customer', customerId: 'fjord' }, { groups: [{ group: 'it-support', permissions: ['ro', 'create'] }] }, subject);
  await assignments.setGroups(actor, { kind: 'customer-user', login: 'jan.devries' }, { groups: [{ group: 'it-support', permissions: ['rw'] }, { group: 'finance', permissions: ['ro'] }] }, subject);
  await assignments.setGroups(actor, { kind: 'customer-user', login: 'kari.nordmann' }, { groups: [{ group: 'finance', permissions: ['ro'] }] }, subject);

  await assignments.setServices(actor, { kind: 'default', scope: 'customer-users' }, { services: ['IT::E-mail', 'IT::Accounts::Password reset'] }, subject);
  await assignments.setServices(actor, { kind: 'group', name: 'facilities' }, { services: ['Facilities::Desk', 'Facilities::Access badge'] }, subject);
  await assignments.setServices(actor, { kind: 'group', name: 'finance' }, { services: ['Finance::Invoices'] }, subject);
  await assignments.setServices(actor, { kind: 'customer', customerId: 'fjord' }, { services: ['IT::Laptop'] }, subject);
  await assignments.setServices(actor, { kind: 'customer-user', login: 'pieter.jansen' }, { services: ['IT::Laptop'] }, subject);
}
