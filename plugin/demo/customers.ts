import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';
import { agentActor } from '../auth/actors.js';
import { DEFAULT_DB_MAP } from '../customers/field-map.js';
import { seedDemoAccess } from './access.js';
import type { DemoCredential } from './seed.js';

const CUSTOMERS = [
  { customerId: 'acme', name: 'Acme Logistiek B.V.', street: 'Catharijnesingel 12', zip: '3511 GB', city: 'Utrecht', country: 'Netherlands', url: 'https://acme.example' },
  { customerId: 'fjord', name: 'Fjord Helse AS', street: 'Strandkaien 4', zip: '5013', city: 'Bergen', country: 'Norway', url: 'https://fjord.example' },
];

/** Order matters: managers before their reports. `role` is what the credentials list says. */
const USERS = [
  { role: 'key user', login: 'jan.devries', firstName: 'Jan', lastName: 'de Vries', customerId: 'acme', keyUserOf: ['acme'], room: '2.14', language: 'nl' },
  { role: 'manager', login: 'sanne.bakker', firstName: 'Sanne', lastName: 'Bakker', customerId: 'acme', room: '2.20', language: 'nl' },
  { role: 'customer', login: 'pieter.jansen', firstName: 'Pieter', lastName: 'Jansen', customerId: 'acme', manager: 'sanne.bakker', room: '1.03', language: 'nl' },
  { role: 'key user', login: 'kari.nordmann', firstName: 'Kari', lastName: 'Nordmann', customerId: 'fjord', keyUserOf: ['fjord'], language: 'nb' },
  { role: 'manager', login: 'ingrid.odegard', firstName: 'Ingrid', lastName: 'Ødegård', customerId: 'fjord', language: 'nb' },
  { role: 'customer', login: 'ola.hansen', firstName: 'Ola', lastName: 'Hansen', customerId: 'fjord', manager: 'ingrid.odegard', language: 'nb' },
  // The consultant: one person in both customers (primary Fjord, extra Acme).
  { role: 'customer', login: 'lars.berg', firstName: 'Lars', lastName: 'Berg', customerId: 'fjord', customerIds: ['acme'], language: 'en' },
];

/** Two customers with their users, the seed's custom field `room` in the map, and their groups and services. */
export async function seedDemoCustomers(c: Container, subject: AuditSubject, adminId: number): Promise<DemoCredential[]> {
  const admin = await c.services.agents.findById(adminId);
  if (!admin) throw new Error('demo admin missing');
  const actor = agentActor(admin, 'session');
  const { customers, customerUsers, backends } = c.services;
  const map = [...DEFAULT_DB_MAP, { key: 'room', label: 'Room', storage: 'extra.room', shown: 1 as const, required: false, type: 'var' as const, readOnly: false, search: true }];
  await backends.saveDbMap(actor, map, undefined, subject);
  for (const customer of CUSTOMERS) await customers.create(actor, customer, subject);
  const credentials: DemoCredential[] = [];
  for (const { role, ...user } of USERS) {
    const created = await customerUsers.create(actor, { ...user, email: `${user.login}@${user.customerId}.example` }, subject);
    credentials.push({ role, login: created.user.login, password: created.generatedPassword ?? '' });
  }
  await seedDemoAccess(c, actor, subject);
  return credentials;
}
