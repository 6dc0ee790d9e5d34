import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import ejs from 'ejs';
import express, { type Express, type RequestHandler } from 'express';
import type { Container } from './container.js';
import { packageRoot, publicDir, viewsDir } from './paths.js';
import { healthRoutes } from './web/controllers/health.js';
import { refuseCredentialsInQuery } from './web/middleware/credentials-in-query.js';
import { createCsrf } from './web/middleware/csrf.js';
import { errorHandler, notFoundHandler } from './web/middleware/errors.js';
import { actorLocals, languageLocals } from './web/middleware/locals.js';
import { delegatedSession } from './web/middleware/delegation.js';
import { delegationLocals } from './delegation/pages/locals.js';
import { securityHeaders } from './web/middleware/security-headers.js';
import { isHeaderAuthenticatedApi, sessionMiddleware } from './web/middleware/session.js';
import { apiRoutes, pageRoutes, uploadParsers } from './web/routes.js';
import './web/request-types.js';

const VERSION = '0.1.0';

/**
 * The Express sub-app. It owns its views and settings (sub-apps do not inherit `views`), its own
 * passport, session and CSRF, so a host can mount it anywhere beside its own routes.
 */
export function buildApp(c: Container): Express {
  const { config } = c;
  const app = express();
  app.disable('x-powered-by');
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', ejs.renderFile);
  if (config.env === 'production') app.set('view cache', true);
  app.set('trust proxy', config.security.trustProxy);
  app.set('query parser', 'simple');

  app.use(securityHeaders());
  app.use(languageLocals(c.translator));
  app.use('/assets', express.static(publicDir, { index: false, maxAge: config.env === 'production' ? '1h' : 0 }));
  app.use(
    '/assets/vendor/pico',
    express.static(join(packageRoot, 'node_modules', '@picocss', 'pico', 'css'), { index: false, maxAge: '1d' }),
  );
  app.use(healthRoutes(c.ping));

  app.use(refuseCredentialsInQuery);
  app.use(express.urlencoded({ extended: false, limit: config.security.bodyLimit, parameterLimit: 2000 }));
  app.use(express.json({ limit: config.security.bodyLimit }));

  const secret = config.session.secret ?? randomBytes(32).toString('hex');
  const cookieAuth = express.Router();
  const passportInit: RequestHandler = c.passport.initialize();
  const passportSession: RequestHandler = c.passport.session() as RequestHandler;
  cookieAuth.use(sessionMiddleware(config, c.sessionStore, secret), passportInit, passportSession);
  app.use((req, res, next) => (isHeaderAuthenticatedApi(req) ? next() : cookieAuth(req, res, next)));
  // A session working in another organisation: its delegation is checked on every request.
  app.use(delegatedSession(c.services.delegations));
  // Upload forms are multipart: their body (and so their `_csrf` field) is read before the CSRF check.
  app.use(uploadParsers());
  const csrf = createCsrf(config.session.cookieName);
  app.use(csrf.protect);
  app.use(actorLocals(csrf.tokenFor, config.session.cookieName));
  app.use(delegationLocals({ delegations: c.services.delegations, customers: c.services.customers }));

  app.use('/api/v1', apiRoutes(c, VERSION));
  app.use(pageRoutes(c));

  app.use(notFoundHandler);
  app.use(errorHandler(c.logger, config.env === 'development'));
  return app;
}
