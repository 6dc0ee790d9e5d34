import { Router } from 'express';
import { accessApi, accessOperations } from '../access/api/index.js';
import { accessScreens } from '../access/pages/index.js';
import { agentAdminRoutes } from '../agents/routes.js';
import { auditApi, auditOperations } from '../audit/api.js';
import { auditAdminRoutes, auditPortalRoutes } from '../audit/routes.js';
import { meApi, meOperations } from '../auth/api.js';
import { authRoutes } from '../auth/routes.js';
import { tokenRoutes } from '../auth/token-routes.js';
import type { Container } from '../container.js';
import { backendsApi, backendsOperations } from '../customers/backends-api.js';
import { customerUsersApi, customerUsersOperations } from '../customers/customer-users-api.js';
import { customersApi, customersOperations } from '../customers/customers-api.js';
import { ownPasswordApi, profileApi, profileOperations } from '../customers/profile-api.js';
import { customerCsvApi, customerCsvOperations } from '../customers/csv/csv-api.js';
import { csvUploadParser, customerCsvPages } from '../customers/csv/csv-pages.js';
import { backendPages } from '../customers/pages/backend-pages.js';
import { customerScreens } from '../customers/pages/index.js';
import { faqReaderPages } from '../faq/pages/reader-pages.js';
import { notFound } from '../errors.js';
import { faqApi, faqOperations } from '../faq/api/index.js';
import { faqEditorPages } from '../faq/pages/editor-pages.js';
import { formPages } from '../forms/pages/index.js';
import { homeRoutes } from './controllers/home.js';
import { ticketsApi, ticketsOperations } from '../tickets/api/index.js';
import { formsApiRoutes, formsOperations } from '../forms/api/index.js';
import { agentTicketPages } from '../tickets/pages/agent-pages.js';
import { ticketAdminPages } from '../tickets/pages/admin-pages.js';
import { portalTicketPages } from '../tickets/pages/portal-pages.js';
import { passwordPages } from '../customers/password-pages.js';
import { languageRoutes } from './controllers/language.js';
import { bearerAuth } from './middleware/bearer-auth.js';
import { organisationHeader } from './middleware/delegation.js';
import { switchApi, switchRoutes } from '../delegation/web/switch.js';
import { delegationPages } from '../delegation/pages/index.js';
import { delegationApiRoutes, delegationOperations } from '../delegation/api/index.js';
import { buildOpenApiDocument, type ApiOperation } from './openapi.js';

const openApiOperation: ApiOperation = {
  method: 'get',
  path: '/openapi.json',
  summary: 'This document',
  tag: 'meta',
  public: true,
};

/** The route table: every page and API path Loket answers, in one place. */
export function pageRoutes(c: Container): Router {
  const { agents, apiTokens, audit } = c.services;
  const router = Router();
  router.use(authRoutes({ passport: c.passport, audit, config: c.config, logger: c.logger }));
  router.use(languageRoutes(c.config.session.cookiePath));
  router.use(switchRoutes({ delegations: c.services.delegations }));
  router.use(delegationPages({ delegations: c.services.delegations, deputies: c.services.deputies, customers: c.services.customers }));
  // Ahead of the customer-user pages, so /customer-users/import is never taken for a login.
  router.use(customerCsvPages({ csv: c.services.customerCsv, logger: c.logger }));
  router.use(passwordPages({ accounts: c.services.customerAccounts, config: c.config }));
  router.use(homeRoutes({ agents }));
  router.use(faqEditorPages({ faqArticles: c.services.faqArticles, faqReader: c.services.faqReader, faqCategories: c.services.faqCategories, catalogue: c.services.catalogue, groups: c.services.groups }));
  router.use(faqReaderPages({ faqReader: c.services.faqReader, faqArticles: c.services.faqArticles, faqCategories: c.services.faqCategories, config: c.config }));
  const { tickets, queues, agentGroups, deflections } = c.services;
  router.use(portalTicketPages({ tickets, deflections, faqReader: c.services.faqReader, config: c.config, formRuns: c.services.formRuns }));
  router.use(formPages({ forms: c.services.forms, formRuns: c.services.formRuns, queues }));
  router.use(agentTicketPages({ tickets, faqArticles: c.services.faqArticles, faqReader: c.services.faqReader, faqCategories: c.services.faqCategories }));
  // Ahead of the agent account pages, so /admin/agents/<login>/groups is answered here.
  router.use(ticketAdminPages({ queues, groups: c.services.groups, agents, agentGroups, dashboard: c.services.dashboard }));
  router.use(agentAdminRoutes({ agents }));
  router.use(tokenRoutes({ apiTokens, agents }));
  router.use(auditAdminRoutes({ audit }));
  router.use(auditPortalRoutes({ audit, customers: c.services.customers }));
  const { customers, customerUsers, customerAccounts, backends } = c.services;
  // Ahead of the customer screens: it loads the groups-and-services sections those pages embed.
  router.use(accessScreens({ groups: c.services.groups, catalogue: c.services.catalogue, assignments: c.services.assignments, customers, customerUsers }));
  router.use(customerScreens({ customers, customerUsers, accounts: customerAccounts, backends, config: c.config, logger: c.logger }));
  router.use(backendPages({ backends, groups: c.services.groups, directoryOps: c.services.directoryOps }));
  return router;
}

/** Multipart forms, parsed before the CSRF check so their `_csrf` field is seen (see csvUploadParser). */
export function uploadParsers(): Router {
  const router = Router();
  router.use(csvUploadParser());
  return router;
}

export function apiRoutes(c: Container, version: string): Router {
  const router = Router();
  const document = buildOpenApiDocument([openApiOperation, ...meOperations, ...auditOperations, ...customersOperations, ...customerUsersOperations(c.config.customerUsers.searchLimit), ...backendsOperations, ...profileOperations, ...customerCsvOperations, ...accessOperations, ...faqOperations, ...ticketsOperations, ...formsOperations, ...delegationOperations], version);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(bearerAuth(c.services));
  router.use(organisationHeader(c.services.delegations));
  router.use(switchApi({ delegations: c.services.delegations }));
  router.use(meApi());
  router.use(auditApi({ audit: c.services.audit }));
  router.use(profileApi({ customerUsers: c.services.customerUsers }));
  router.use(ownPasswordApi({ accounts: c.services.customerAccounts }));
  router.use(customersApi({ customers: c.services.customers, customerUsers: c.services.customerUsers }));
  router.use(customerUsersApi({ customerUsers: c.services.customerUsers, accounts: c.services.customerAccounts, config: c.config, logger: c.logger }));
  router.use(backendsApi({ backends: c.services.backends, directoryOps: c.services.directoryOps }));
  router.use(customerCsvApi({ csv: c.services.customerCsv, logger: c.logger }));
  router.use(accessApi({ groups: c.services.groups, catalogue: c.services.catalogue, assignments: c.services.assignments }));
  router.use(faqApi({ faqCategories: c.services.faqCategories, faqArticles: c.services.faqArticles, faqReader: c.services.faqReader }));
  router.use(ticketsApi({ tickets: c.services.tickets, queues: c.services.queues, agentGroups: c.services.agentGroups, groups: c.services.groups, deflections: c.services.deflections }));
  router.use(formsApiRoutes({ forms: c.services.forms, formRuns: c.services.formRuns }));
  router.use(delegationApiRoutes({ delegations: c.services.delegations, deputies: c.services.deputies }));
  router.use(() => {
    throw notFound('No such API endpoint.');
  });
  return router;
}
