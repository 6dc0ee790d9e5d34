import { Router } from 'express';
import { agentAdminRoutes } from '../agents/routes.js';
import { auditApi, auditOperations } from '../audit/api.js';
import { auditAdminRoutes } from '../audit/routes.js';
import { meApi, meOperations } from '../auth/api.js';
import { authRoutes } from '../auth/routes.js';
import { tokenRoutes } from '../auth/token-routes.js';
import type { Container } from '../container.js';
import { notFound } from '../errors.js';
import { homeRoutes } from './controllers/home.js';
import { languageRoutes } from './controllers/language.js';
import { bearerAuth } from './middleware/bearer-auth.js';
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
  router.use(homeRoutes({ agents }));
  router.use(agentAdminRoutes({ agents }));
  router.use(tokenRoutes({ apiTokens, agents }));
  router.use(auditAdminRoutes({ audit }));
  return router;
}

export function apiRoutes(c: Container, version: string): Router {
  const router = Router();
  const document = buildOpenApiDocument([openApiOperation, ...meOperations, ...auditOperations], version);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(bearerAuth(c.services));
  router.use(meApi());
  router.use(auditApi({ audit: c.services.audit }));
  router.use(() => {
    throw notFound('No such API endpoint.');
  });
  return router;
}
