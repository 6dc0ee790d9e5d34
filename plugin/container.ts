import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createAgentService } from './agents/service.js';
import { createAgentStore } from './agents/store.js';
import { createAuditService } from './audit/service.js';
import { createAuditStore } from './audit/store.js';
import { createActorResolver } from './auth/actors.js';
import { createDelegationModule, delegationSystemActor } from './delegation/module.js';
import { createApiTokenService } from './auth/api-token-service.js';
import { createApiTokenStore } from './auth/api-token-store.js';
import { createPassport } from './auth/passport-setup.js';
import { KnexSessionStore } from './auth/session-store.js';
import { describeDatabase, parseDatabaseUrl, type DatabaseTarget } from './config/database-url.js';
import type { LoketConfig } from './config/schema.js';
import { pingDatabase, waitForDatabase } from './db/health.js';
import { createKnex, dialectOf, type Dialect } from './db/knex-factory.js';
import { migrateLatest } from './db/migrator.js';
import { tableNames, type TableNames } from './db/tables.js';
import { createTranslator } from './i18n/index.js';
import { createMailer } from './mail/mailer.js';
import { createBackendService } from './customers/backend-service.js';
import { createCustomerCsvService } from './customers/csv/csv-service.js';
import { createBackendSettingsStore } from './customers/backend-settings-store.js';
import { createBackendRegistry } from './customers/backends/backend.js';
import { createBackendList } from './customers/backends/backend-list.js';
import { createDbBackend } from './customers/backends/db/backend.js';
import { createLdapBackend } from './customers/backends/ldap/backend.js';
import { createDirectoryLogin } from './customers/backends/ldap/directory-login.js';
import { createGroupGrantsStore } from './customers/backends/ldap/group-grants-store.js';
import { createDirectoryOperations } from './customers/backends/ldap/operations.js';
import { createJobLeaseStore } from './db/job-lease.js';
import { createShadowStore } from './customers/backends/ldap/shadow-store.js';
import { createShadowWriter } from './customers/backends/ldap/shadow-writer.js';
import { createCustomerUserStore } from './customers/backends/db/store.js';
import { createCustomerService } from './customers/customer-service.js';
import { createCustomerStore } from './customers/customer-store.js';
import { createCustomerUserAccounts } from './customers/customer-user-accounts.js';
import { createCustomerUserService } from './customers/customer-user-service.js';
import { createTokenStore } from './customers/token-store.js';
import { transactionRunner } from './db/transaction.js';
import { createAssignmentService } from './access/assignments.js';
import { createCatalogueStore } from './access/catalogue/store.js';
import { createCatalogueService, createGroupService } from './access/groups/service.js';
import { createGroupStore } from './access/groups/store.js';
import { createArticleService } from './faq/article-service.js';
import { createArticleStore } from './faq/article-store.js';
import { createCategoryService } from './faq/category-service.js';
import { createCategoryStore } from './faq/category-store.js';
import { createFeedbackStore } from './faq/feedback-store.js';
import { createMarkdownRenderer } from './faq/markdown/renderer.js';
import { createReaderService } from './faq/reader-service.js';
import { createReadingStore } from './faq/reading-store.js';
import { createViewCounter } from './faq/view-counter.js';
import { createKbService } from './faq/kb/service.js';
import { createAgentGroupService } from './agents/agent-groups-service.js';
import { createAgentGroupStore } from './agents/agent-groups-store.js';
import { createNameChecks } from './access/assignment-names.js';
import { createIdempotencyStore } from './db/idempotency.js';
import { createDeflectionService } from './tickets/deflection-service.js';
import { createDeflectionStore } from './tickets/deflection-store.js';
import { createNativeTicketStore } from './tickets/native/ticket-store.js';
import { createQueueService } from './tickets/queue-service.js';
import { createQueueStore } from './tickets/queue-store.js';
import { createTicketNotifier } from './tickets/notifications.js';
import { createTicketService } from './tickets/ticket-service.js';
import { createDashboardService } from './tickets/dashboard-service.js';
import { createStatsStore } from './tickets/stats-store.js';
import { createFormsEngine } from './forms/engine.js';
import { queueFacts } from './tickets/queue-service.js';
import { audienceSees, ticketAudience } from './access/ticket-access.js';

/** The composition root: the one place that builds knex, stores, services and strategies. */
export function createContainer(config: LoketConfig, logger: Logger) {
  const target: DatabaseTarget = parseDatabaseUrl(config.databaseUrl);
  const databaseLabel = describeDatabase(target);
  const knex: Knex = createKnex(target, {
    poolMax: config.database.poolMax,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
    logger,
  });
  const dialect: Dialect = dialectOf(knex);
  const tables: TableNames = tableNames(config.tablePrefix);

  const sessionStore = new KnexSessionStore(knex, tables, config.session.idleMinutes * 60_000);
  const audit = createAuditService({ store: createAuditStore(knex, tables) });
  const customerUserStore = createCustomerUserStore(knex, tables);
  const agentStore = createAgentStore(knex, tables);
  const agents = createAgentService({
    store: agentStore,
    audit,
    endSessions: (principal) => sessionStore.destroyForPrincipal(principal),
    loginTakenByCustomerUser: async (login) => (await customerUserStore.findByLogin(login)) !== null,
  });
  const apiTokens = createApiTokenService({ store: createApiTokenStore(knex, tables), audit });
  const translator = createTranslator(config.i18n.defaultLanguage);
  const mailer = createMailer(config.smtp, logger);
  const transaction = transactionRunner(knex);
  const endSessions = (principal: string) => sessionStore.destroyForPrincipal(principal);

  const customerStore = createCustomerStore(knex, tables);
  const customers = createCustomerService({ store: customerStore, audit, transaction });
  const backendSettings = createBackendSettingsStore(knex, tables);
  const dbBackend = createDbBackend({ store: customerUserStore, settings: backendSettings });
  const shadowStore = createShadowStore(knex, tables);
  const shadowWriter = createShadowWriter({ shadows: shadowStore, users: customerUserStore });
  const backendList = createBackendList({
    settings: backendSettings,
    db: dbBackend,
    logger,
    makeLdap: (key, settings) => createLdapBackend({ key, settings, writer: shadowWriter, users: customerUserStore, db: dbBackend, transaction, logger }),
  });
  const registry = createBackendRegistry(() => backendList.all());
  const directoryLogin = createDirectoryLogin({ backends: () => backendList.directories(), users: customerUserStore, logger });
  const customerUsers = createCustomerUserService({
    registry,
    db: dbBackend,
    store: customerUserStore,
    customers: customerStore,
    audit,
    transaction,
    emailUnique: config.customerUsers.emailUnique,
    searchLimit: config.customerUsers.searchLimit,
    endSessions,
    agentLoginExists: async (login) => (await agents.findByLogin(login)) !== null,
  });
  const customerAccounts = createCustomerUserAccounts({
    logger,
    store: customerUserStore,
    db: dbBackend,
    tokens: createTokenStore(knex, tables),
    audit,
    transaction,
    mailer,
    translator,
    defaultLanguage: config.i18n.defaultLanguage,
    passwordLinkHours: config.customerUsers.passwordLinkHours,
    endSessions,
  });
  
  const customerCsv = createCustomerCsvService({
    customerUsers,
    customers,
    agentLoginExists: async (login) => (await agents.findByLogin(login)) !== null,
    emailOwnerIds: (email) => customerUserStore.findIdsByEmail(email),
    emailUnique: config.customerUsers.emailUnique,
    pageSize: config.customerUsers.searchLimit,
  });
  const groupStore = createGroupStore(knex, tables);
  const backends = createBackendService({
    settings: backendSettings,
    db: dbBackend,
    users: customerUsers,
    groups: { findManyByName: (names) => groupStore.groups.findManyByName(names), permissionTypes: () => groupStore.permissionTypes() },
    countUsers: (source) => shadowStore.countAll(source),
    audit,
    transaction,
  });
  const directoryOps = createDirectoryOperations({
    backends: backendList,
    shadows: shadowStore,
    writer: shadowWriter,
    grants: createGroupGrantsStore(knex, tables),
    groups: { findManyByName: (names) => groupStore.groups.findManyByName(names) },
    leases: createJobLeaseStore(knex, tables),
    audit,
    transaction,
    endSessions,
    logger,
  });
  const catalogueStore = createCatalogueStore(knex, tables);
  const groups = createGroupService({ store: groupStore, audit, transaction });
  const catalogue = createCatalogueService({ store: catalogueStore, audit, transaction });
  const assignments = createAssignmentService({ groups: groupStore, catalogue: catalogueStore, customerUsers, customers, audit, transaction });
  const agentGroups = createAgentGroupService({
    store: createAgentGroupStore(knex, tables),
    agents: agentStore,
    groups: groupStore,
    names: createNameChecks({ groups: groupStore, catalogue: catalogueStore }),
    audit,
    transaction,
  });
  const delegation = createDelegationModule({
    knex,
    tables,
    config,
    logger,
    audit,
    transaction,
    mailer,
    translator,
    customers: {
      findName: async (customerId) => (await customerStore.findByCustomerId(customerId))?.name ?? null,
      async create(customerId, name, subject) {
        await customers.create(delegationSystemActor(), { customerId, name }, subject);
      },
    },
    customerUsers: {
      findById: (id) => customerUsers.findById(id),
      findByLogin: (login) => customerUsers.findByLogin(login),
      hasReports: (id) => customerUsers.hasReports(id),
      idsWithEmail: (emailKey) => customerUserStore.findIdsByEmail(emailKey),
      create: async (input, subject) => (await customerUsers.create(null, input, subject)).user,
    },
    memberPermissions: (customerId) => assignments.memberIndexFor(customerId),
    setUpPath: (user) => customerAccounts.setUpPath(user),
  });
  const { delegations, deputies } = delegation;
  const actors = createActorResolver({ agents, customerUsers, customerLogin: customerAccounts, permissions: assignments, agentGroups, directoryLogin: { verifyCredentials: (login, password) => directoryLogin.verify(login, password) }, deputies });
  const passport = createPassport(actors);

  const markdown = createMarkdownRenderer();
  const articleStore = createArticleStore(knex, tables);
  const feedbackStore = createFeedbackStore(knex, tables);
  const views = createViewCounter((counts) => feedbackStore.addViews(counts), logger);
  const categoryStore = createCategoryStore(knex, tables);
  const faqCategories = createCategoryService({ store: categoryStore, groups: groupStore, audit, transaction });
  const kb = createKbService({ articles: articleStore, categories: categoryStore, groups: groupStore, renderer: markdown, audit, transaction });
  const readingStore = createReadingStore(knex, tables, dialect);
  const faqArticles = createArticleService({
    store: articleStore,
    reading: readingStore,
    categories: faqCategories,
    renderer: markdown,
    lookups: {
      existingCustomerIds: async (ids) => (await customerStore.findMany(ids)).map((c) => c.customerId),
      serviceIds: async (names, tx) => new Map((await catalogueStore.services.findManyByName(names, tx)).map((s) => [s.name, s.id])),
    },
    audit,
    transaction,
  });
  const faqReader = createReaderService({
    reading: readingStore,
    articles: articleStore,
    feedback: feedbackStore,
    categories: faqCategories,
    views,
    transaction,
    dialect,
    fallbackLanguage: config.i18n.defaultLanguage,
  });

  const queues = createQueueService({ store: createQueueStore(knex, tables), groups: groupStore, audit, transaction });
  const idempotency = createIdempotencyStore(tables);
  const ticketStore = createNativeTicketStore(knex, tables, idempotency);
  const agentContacts = createAgentGroupStore(knex, tables);
  const ticketNotifier = createTicketNotifier({
    mailer,
    translator,
    logger,
    baseUrl: config.baseUrl,
    defaultLanguage: config.i18n.defaultLanguage,
    customerUsers,
    agentsInGroup: (group, permissions) => agentContacts.contactsInGroup(group, permissions),
  });
  const tickets = createTicketService({
    tickets: ticketStore,
    queues,
    catalogue: catalogueStore,
    customerUsers,
    entitledServices: (user) => assignments.entitledServices(user),
    faq: faqArticles,
    events: ticketNotifier,
  });
  const deflections = createDeflectionService({ store: createDeflectionStore(knex, tables), faq: faqArticles });
  const dashboard = createDashboardService({ stats: createStatsStore(knex, tables), tickets });
  const formsEngine = createFormsEngine({
    knex,
    tables,
    config,
    logger,
    audit,
    transaction,
    idempotency,
    registry,
    db: dbBackend,
    userStore: customerUserStore,
    customerStore,
    groups: groupStore,
    catalogue: catalogueStore,
    permissionIndexFor: (user) => assignments.permissionIndexFor(user),
    entitledServices: (user) => assignments.entitledServices(user),
    sendPasswordLink: (actor, user, linkBase, subject) => customerAccounts.sendPasswordLink(actor, user, linkBase, subject),
    tickets: ticketStore,
    queues,
    async seesTicket(actor, number) {
      const ticket = await ticketStore.get(number, false);
      return ticket !== null && audienceSees(ticketAudience(actor, (await queues.all()).map(queueFacts)), ticket);
    },
    endSessions,
    mailer,
    translator,
    deputies,
  });
  formsEngine.startSweep();

  return {
    config,
    logger,
    knex,
    dialect,
    tables,
    databaseLabel,
    services: { audit, agents, apiTokens, actors, customers, customerUsers, customerAccounts, backends, customerCsv, groups, catalogue, assignments, faqCategories, faqArticles, faqReader, faqViews: views, kb, agentGroups, queues, tickets, deflections, dashboard, directoryOps, forms: formsEngine.forms, formRuns: formsEngine.formRuns, delegations, deputies },
    passport,
    sessionStore,
    /** The backends in their order; the directory ones with their connection, for sync, test and preview. */
    backendList,
    translator,
    mailer,

    async migrate(): Promise<string[]> {
      await waitForDatabase(knex, {
        retries: config.database.connectRetries,
        delayMs: config.database.connectRetryDelayMs,
        target: databaseLabel,
        logger,
      });
      const applied = await migrateLatest(knex, tables);
      logger.info({ database: databaseLabel, applied }, applied.length ? 'migrations applied' : 'database schema up to date');
      return applied;
    },

    ping: () => pingDatabase(knex),

    async close(): Promise<void> {
      await views.close();
      await markdown.close();
      sessionStore.close();
      await ticketNotifier.settle();
      // The sweep timer stops and approval mails in flight are sent before the database closes.
      await formsEngine.close();
      await delegation.settle();
      // A sync started from the screen runs in the background; it must not outlive the database.
      await directoryOps.settle();
      mailer.close();
      await knex.destroy();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
