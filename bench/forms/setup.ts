/**
 * The data the forms bench works on, in a freshly migrated Loket database, made through Loket's services
 * as an admin would: a group the runs grant, a queue for the request tickets, a form definition (below),
 * and per pair one customer holding a requesting key user, a colleague (the target) and a second key user
 * (the approver), the two key users with an API token each. No passwords: the bench only uses tokens,
 * and argon2 hashing 3 × pairs users would only slow the setup.
 */
import { randomBytes } from 'node:crypto';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import type { LoketInternals } from '../../plugin/loket.js';

export interface Pair {
  customerId: string;
  requester: { login: string; token: string };
  approver: { login: string; token: string };
  target: string;
}

export interface FormsFixture {
  formKey: string;
  group: string;
  queue: string;
  pairs: Pair[];
  seconds: number;
}

/**
 * Like the shipped grant-group-access (key user asks, a key user of the target's customer approves,
 * grant-group executes), but with the group fixed and no "group not held" check: every loop grants the
 * same read permission again (the action keeps what is held), so a pair can run for as long as the bench
 * lasts. The note makes each payload differ, as real requests do.
 */
export function benchForm(key: string, group: string, queue: string): FormDefinitionInput {
  return {
    key,
    title: { en: 'Bench: grant group access' },
    category: 'organisation',
    audience: ['key-user'],
    target: 'customer-user',
    fields: [{ key: 'note', label: { en: 'Note' }, type: 'text', required: true, maxLength: 100 }],
    criteria: [{ check: 'target-valid' }],
    actions: [{ type: 'grant-group', input: { group, permission: 'ro' } }],
    approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
    ticket: { queue },
  };
}

export async function createFormsFixture(loket: LoketInternals, opts: { pairs: number; tag: string; progress: (text: string) => void }): Promise<FormsFixture> {
  const started = performance.now();
  const { services } = loket.container;
  const adminLogin = `bench-admin-f${opts.tag}`;
  const { agent } = await services.agents.createFromOperator(
    { login: adminLogin, email: `${adminLogin}@example.test`, role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'Bench', lastName: 'Admin' },
    cliSubject(),
  );
  const admin = await services.actors.resolve({ type: 'agent', id: agent.id }, 'session');
  if (!admin) throw new Error('the bench admin did not resolve to an actor');
  const subject = auditSubjectOf(admin, null);

  const group = `bench-forms-${opts.tag}`;
  const queue = `Bench requests ${opts.tag}`;
  await services.groups.create(admin, { name: group, comment: 'forms bench' }, subject);
  await services.queues.create(admin, { name: queue, group, comment: 'forms bench', validity: 'valid' }, subject);
  const formKey = `bench-grant-${opts.tag}`;
  await services.forms.save(admin, formKey, benchForm(formKey, group, queue), undefined, subject);

  opts.progress(`  ${opts.pairs} customers, each with two key users (API tokens) and a colleague`);
  const pairs: Pair[] = [];
  for (let i = 1; i <= opts.pairs; i++) {
    const n = String(i).padStart(3, '0');
    const customerId = `BENCH-F-${opts.tag}-${n}`;
    await services.customers.create(admin, { customerId, name: `Bench customer ${n}` }, subject);
    const user = async (role: string, keyUser: boolean) => {
      const login = `bf-${opts.tag}-${n}-${role}`;
      const { user: created } = await services.customerUsers.create(
        admin,
        { login, email: `${login}@example.test`, customerId, firstName: 'Bench', lastName: `${role} ${n}`, keyUserOf: keyUser ? [customerId] : [] },
        subject,
      );
      const token = keyUser ? (await services.apiTokens.issueFromOperator({ type: 'customer-user', id: created.id }, login, { name: 'forms bench' }, cliSubject())).plain : '';
      return { login, token };
    };
    const requester = await user('requester', true);
    const approver = await user('approver', true);
    const target = await user('target', false);
    pairs.push({ customerId, requester, approver, target: target.login });
  }
  return { formKey, group, queue, pairs, seconds: (performance.now() - started) / 1000 };
}
