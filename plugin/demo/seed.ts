import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditSubject } from '../audit/service.js';
import { seedDemoDelegation } from './delegation.js';
import type { Container } from '../container.js';
import { seedDemoCustomers } from './customers.js';
import { seedDemoFaq } from './faq.js';
import { seedDemoForms } from './forms.js';
import { DEMO_QUEUES, seedDemoTickets } from './tickets.js';

export interface DemoCredential {
  role: string;
  login: string;
  password: string;
}

const DEMO_SUBJECT: AuditSubject = { kind: 'system', login: 'demo-seed', effectiveCustomerId: null, delegationId: null, ip: null };

const DEMO_AGENTS = [
  { login: 'admin', email: 'admin@loket.example', firstName: 'Ada', lastName: 'Admin', role: 'admin' as const },
  { login: 'agent', email: 'agent@loket.example', firstName: 'Arne', lastName: 'Agent', role: 'agent' as const },
  { login: 'agent2', email: 'agent2@loket.example', firstName: 'Anouk', lastName: 'de Vries', role: 'agent' as const, language: 'nl' as const },
];

/**
 * Demo data for an empty database: staff accounts, two customers with their users (a key user, a
 * manager with a report, one person in both customers), all with generated passwords (never fixed ones),
 * the FAQ from kb/, and queues with tickets in every state. Returns null
 * when the database already has accounts, so a restart never reseeds or changes passwords.
 */
export async function seedDemo(c: Container): Promise<DemoCredential[] | null> {
  if ((await c.services.agents.count()) > 0) return null;
  const credentials: DemoCredential[] = [];
  let adminId = 0;
  for (const demo of DEMO_AGENTS) {
    const created = await c.services.agents.createFromOperator(demo, DEMO_SUBJECT);
    if (demo.role === 'admin') adminId = created.agent.id;
    credentials.push({ role: demo.role, login: created.agent.login, password: created.generatedPassword ?? '' });
  }
  credentials.push(...(await seedDemoCustomers(c, DEMO_SUBJECT, adminId)));
  await seedDemoFaq(c, DEMO_SUBJECT);
  // After the FAQ: a demo ticket links a kb/ article.
  const admin = await c.services.actors.resolve({ type: 'agent', id: adminId }, 'session');
  if (!admin) throw new Error('demo admin missing');
  await seedDemoTickets(c, admin, DEMO_SUBJECT);
  // After the tickets: the forms' request tickets go to the demo's Service desk queue.
  await seedDemoForms(c, DEMO_SUBJECT);
  await seedDemoDelegation(c, DEMO_SUBJECT);
  return credentials;
}

export function formatCredentials(credentials: DemoCredential[], url: string): string {
  const rows = credentials.map((c) => `  ${c.role.padEnd(8)} login: ${c.login.padEnd(14)} password: ${c.password}`);
  const queues = DEMO_QUEUES.map((q) => `${q.name} (group ${q.group})`).join(', ');
  return [`Loket demo accounts (generated for this database; sign in at ${url}/login):`, ...rows, `  Demo tickets wait in the queues ${queues}.`, ''].join('\n');
}

/** Saved beside the database for the person running the demo; readable by the owner only. */
export function saveCredentials(dataDir: string, text: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'demo-credentials.txt');
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
