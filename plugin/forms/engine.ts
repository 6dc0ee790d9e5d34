import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { systemActor, type Actor } from '../access/actor.js';
import type { CatalogueStore } from '../access/catalogue/store.js';
import type { GroupStore } from '../access/groups/store.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { LoketConfig } from '../config/schema.js';
import type { BackendRegistry, CustomerUserRecord } from '../customers/backends/backend.js';
import type { DbBackend } from '../customers/backends/db/backend.js';
import type { CustomerUserStore } from '../customers/backends/db/store.js';
import type { CustomerStore } from '../customers/customer-store.js';
import { createCustomerUserRules } from '../customers/customer-user-rules.js';
import type { PasswordLinkOutcome } from '../customers/customer-user-accounts.js';
import { parseSearch } from '../customers/search-terms.js';
import type { IdempotencyStore } from '../db/idempotency.js';
import type { TableNames } from '../db/tables.js';
import type { RunInTransaction } from '../db/transaction.js';
import type { Translator } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { Queue } from '../tickets/queue-store.js';
import type { TicketSystem } from '../tickets/ticket-system.js';
import { createExecutor } from './executor.js';
import { createFormStore } from './form-store.js';
import { createFormsService } from './forms-service.js';
import { createFormNotifier } from './notifications.js';
import { createRequestTickets } from './request-ticket.js';
import { createRunStore } from './run-store.js';
import { createRunsService } from './runs-service.js';
import { createScope } from './scope.js';
import { createScopeStore } from './scope-store.js';
import { createStandIns, type DeputiesPort } from './stand-ins.js';
import { createWebhookSender } from './webhook.js';

export interface FormsEngineDeps {
  knex: Knex;
  tables: TableNames;
  config: LoketConfig;
  logger: Logger;
  audit: AuditService;
  transaction: RunInTransaction;
  idempotency: IdempotencyStore;
  registry: BackendRegistry;
  db: DbBackend;
  userStore: CustomerUserStore;
  customerStore: CustomerStore;
  groups: GroupStore;
  catalogue: CatalogueStore;
  permissionIndexFor(user: CustomerUserRecord): Promise<Record<string, string[]>>;
  entitledServices(user: CustomerUserRecord): Promise<string[]>;
  sendPasswordLink(actor: Actor, user: CustomerUserRecord, linkBase: string | null, subject: AuditSubject): Promise<PasswordLinkOutcome>;
  tickets: TicketSystem;
  queues: { all(): Promise<Queue[]> };
  seesTicket(actor: Actor, number: string): Promise<boolean>;
  endSessions(principal: string): Promise<unknown>;
  mailer: Mailer;
  translator: Translator;
  /** Holiday deputies in force (approvals route to them at decide time). */
  deputies: DeputiesPort;
}

/**
 * The engine acting for a run the form already authorised: the delegated form is the permission, so
 * account services that ask for an admin see this one. It never signs in and holds no session.
 */
const engineActor = (runId: number): Actor => systemActor(`form-run:${runId}`, `Form run ${runId}`);

/** Builds the forms engine: stores, scope, definitions, runs with their actions, mails and the sweep. */
export function createFormsEngine(deps: FormsEngineDeps) {
  const formStore = createFormStore(deps.knex, deps.tables);
  const runStore = createRunStore(deps.knex, deps.tables);
  const scopeStore = createScopeStore(deps.knex, deps.tables);
  const users = {
    findById: (id: number) => deps.db.findById(id),
    findByLogin: (login: string) => deps.registry.findByLogin(login.trim().toLowerCase()),
  };
  const scope = createScope({
    store: scopeStore,
    permissionIndexFor: (user) => deps.permissionIndexFor(user),
    users: {
      findById: users.findById,
      search: async (search, customerIds, limit) =>
        (await deps.registry.search({ words: parseSearch(search), scope: customerIds === null ? null : { customerIds, selfId: null }, limit, offset: 0, cap: limit })).items,
    },
  });
  const forms = createFormsService({ forms: formStore, scope, scopeStore, users, entitledServices: (user) => deps.entitledServices(user), audit: deps.audit, transaction: deps.transaction });
  const notifier = createFormNotifier({ mailer: deps.mailer, translator: deps.translator, logger: deps.logger, baseUrl: deps.config.baseUrl, defaultLanguage: deps.config.i18n.defaultLanguage });
  const requestTickets = createRequestTickets({ tickets: deps.tickets, queues: deps.queues, runs: runStore });
  const rules = createCustomerUserRules({ store: deps.userStore, customers: deps.customerStore, emailUnique: deps.config.customerUsers.emailUnique, agentLoginExists: (login) => scopeStore.agentLoginTakenOutside(login) });
  const execute = createExecutor({
    transaction: deps.transaction,
    runs: runStore,
    audit: deps.audit,
    fieldMap: () => deps.db.fieldMap(),
    endSessions: (principal) => deps.endSessions(principal),
    logger: deps.logger,
    ports: {
      groups: deps.groups,
      catalogue: deps.catalogue,
      runs: runStore,
      users: { store: deps.userStore, db: deps.db, rules, recordMap: (backend) => deps.registry.recordMap(backend) },
      audit: deps.audit,
      webhook: createWebhookSender({ secret: deps.config.forms.webhookSecret, timeoutMs: deps.config.forms.webhookTimeoutMs, retries: deps.config.forms.webhookRetries }),
      emailUnique: deps.config.customerUsers.emailUnique,
      agentLoginTaken: (login, tx) => scopeStore.agentLoginTaken(login, tx),
      async sendPasswordLink(userId, subject) {
        const user = await deps.db.findById(userId);
        if (user) await deps.sendPasswordLink(engineActor(0), user, deps.config.baseUrl?.replace(/\/$/, '') ?? null, subject);
      },
      async sendMail(to, subject, text) {
        await deps.mailer.send({ to, subject, text });
      },
      async createTicket(input) {
        const user = await deps.db.findById(input.customerUserId);
        const queue = (await deps.queues.all()).find((q) => q.name.toLowerCase() === input.queue.toLowerCase());
        if (!user || !queue) throw new Error(`create-ticket: no customer user ${input.customerUserId} or no queue ${input.queue}`);
        const { ticket } = await deps.tickets.create(
          {
            title: input.title,
            queueId: queue.id,
            serviceId: null,
            priority: 'normal',
            type: 'request',
            customerUserId: user.id,
            customerUserLogin: user.login,
            customerId: user.customerId,
            createdBy: 'system',
            createdByName: `Form run ${input.runId}`,
            delegationId: null,
            customerSnapshot: { login: user.login, email: user.email, customerId: user.customerId, fields: [] },
            firstMessage: { authorKind: 'system', author: 'system', authorName: 'Loket', internal: false, body: input.body, delegationId: null },
            faqArticleIds: [],
          },
          null,
        );
        return ticket.number;
      },
    },
  });
  const formRuns = createRunsService({
    knex: deps.knex,
    forms,
    formStore,
    scope,
    scopeStore,
    runs: runStore,
    users,
    criteria: { entitledServices: (user) => deps.entitledServices(user), permissionIndexFor: (user) => deps.permissionIndexFor(user), loginTaken: async (login) => (await deps.userStore.findByLogin(login)) !== null || (await scopeStore.agentLoginTakenOutside(login)) },
    execute,
    requestTickets,
    notifier,
    audit: deps.audit,
    transaction: deps.transaction,
    idempotency: deps.idempotency,
    seesTicket: (actor, number) => deps.seesTicket(actor, number),
    standIns: createStandIns({ deputies: deps.deputies, findUser: users.findById }),
  });

  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> = Promise.resolve();
  return {
    forms,
    formRuns,
    /** Every 60 s: expiries and reminders. unref'd, so it never keeps the process alive. */
    startSweep(intervalMs = 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        sweeping = formRuns.sweep().catch((err: unknown) => deps.logger.warn({ err }, 'form approval sweep failed'));
      }, intervalMs);
      timer.unref();
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
      await formRuns.settle();
    },
  };
}

export type FormsEngineHandle = ReturnType<typeof createFormsEngine>;
