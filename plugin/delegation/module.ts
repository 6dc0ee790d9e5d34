import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { systemActor } from '../access/actor.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { LoketConfig } from '../config/schema.js';
import { customerUserName, type CustomerUserRecord } from '../customers/backends/backend.js';
import type { TableNames } from '../db/tables.js';
import { rowsOf } from '../db/rows.js';
import type { RunInTransaction } from '../db/transaction.js';
import type { Translator } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import { createDelegationService } from './delegation-service.js';
import { createDelegationStore } from './delegation-store.js';
import { createDeputyService } from './deputy-service.js';
import { createDeputyStore } from './deputy-store.js';
import { createDelegationNotifier, type Contact } from './notifications.js';

export interface DelegationModuleDeps {
  knex: Knex;
  tables: TableNames;
  config: LoketConfig;
  logger: Logger;
  audit: AuditService;
  transaction: RunInTransaction;
  mailer: Mailer;
  translator: Translator;
  customers: {
    findName(customerId: string): Promise<string | null>;
    create(customerId: string, name: string, subject: AuditSubject): Promise<void>;
  };
  customerUsers: {
    findById(id: number): Promise<CustomerUserRecord | null>;
    findByLogin(login: string): Promise<CustomerUserRecord | null>;
    hasReports(id: number): Promise<boolean>;
    idsWithEmail(emailKey: string): Promise<number[]>;
    create(input: Record<string, unknown>, subject: AuditSubject): Promise<CustomerUserRecord>;
  };
  memberPermissions(customerId: string): Promise<Record<string, string[]>>;
  setUpPath(user: CustomerUserRecord): Promise<{ path: string; hours: number }>;
}

/** Delegations and deputies with their stores, mails and the ports they need from the rest of Loket. */
export function createDelegationModule(deps: DelegationModuleDeps) {
  const { knex, tables } = deps;
  const notifier = createDelegationNotifier({ mailer: deps.mailer, translator: deps.translator, logger: deps.logger, baseUrl: deps.config.baseUrl, defaultLanguage: deps.config.i18n.defaultLanguage });

  async function keyUserContacts(customerId: string): Promise<Contact[]> {
    const rows = await rowsOf<{ id: number }>(
      knex(`${tables.customer_key_users} as k`).join(`${tables.customer_users} as u`, 'u.id', 'k.customer_user_id').where('k.customer_id', customerId).where('u.validity', 'valid').select('u.id').orderBy('u.id'),
    );
    const users = await Promise.all(rows.map((r) => deps.customerUsers.findById(Number(r.id))));
    return users.filter((u): u is CustomerUserRecord => u !== null).map((u) => ({ name: customerUserName(u), email: u.email, language: u.language }));
  }

  const delegations = createDelegationService({
    store: createDelegationStore(knex, tables),
    audit: deps.audit,
    transaction: deps.transaction,
    notifier,
    people: {
      customerName: (customerId) => deps.customers.findName(customerId),
      async accountsWithEmail(email) {
        const ids = await deps.customerUsers.idsWithEmail(email.toLowerCase());
        return (await Promise.all(ids.map((id) => deps.customerUsers.findById(id)))).filter((u): u is CustomerUserRecord => u !== null);
      },
      keyUserContacts,
      memberPermissions: (customerId) => deps.memberPermissions(customerId),
      async createGuestAccount(email, subject) {
        const { guestCustomerId, guestCustomerName } = deps.config.delegation;
        const loketSubject: AuditSubject = { ...subject, login: `${subject.login} (delegation)` };
        if ((await deps.customers.findName(guestCustomerId)) === null) await deps.customers.create(guestCustomerId, guestCustomerName, loketSubject);
        const [local = email, domain = ''] = email.split('@');
        const user = await deps.customerUsers.create({ login: email, email, customerId: guestCustomerId, firstName: local, lastName: domain }, loketSubject);
        const link = await deps.setUpPath(user);
        return { user, setUpPath: link.path, hours: link.hours };
      },
    },
  });

  const deputies = createDeputyService({
    store: createDeputyStore(knex, tables),
    audit: deps.audit,
    transaction: deps.transaction,
    people: { findById: (id) => deps.customerUsers.findById(id), findByLogin: (login) => deps.customerUsers.findByLogin(login), hasReports: (id) => deps.customerUsers.hasReports(id) },
  });

  return { delegations, deputies, settle: () => notifier.settle() };
}

/** The admin that creates the guest organisation and accounts on a key user's behalf (the audit names the key user). */
export const delegationSystemActor = () => systemActor('delegation', 'Delegation');
