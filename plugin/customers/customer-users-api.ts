import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { auditSubjectOf, type AuditSubject } from '../audit/service.js';
import type { LoketConfig } from '../config/schema.js';
import { methodNotAllowed } from '../errors.js';
import type { Actor } from '../access/actor.js';
import { apiRequires, currentActor } from '../web/middleware/guards.js';
import { publicBaseUrl } from '../web/public-url.js';
import { parseInput } from '../web/validate.js';
import { anonymiseSchema, customerUserListQuery, emptyBody, etagOf, expectedVersion, loginParam, objectBody, parseBody, parseQuery, type PasswordLinkResult } from './api-schemas.js';
import type { CustomerUserRecord } from './backends/backend.js';
import type { CustomerUserAccounts } from './customer-user-accounts.js';
import type { CustomerUserService } from './customer-user-service.js';
import { presentCustomerUser } from './present.js';

export { customerUsersOperations } from './customer-users-operations.js';

export interface CustomerUsersApiDeps {
  customerUsers: CustomerUserService;
  accounts: CustomerUserAccounts;
  config: LoketConfig;
  logger: Logger;
}

function answer(res: Response, user: CustomerUserRecord): void {
  res.set('ETag', etagOf(user.version)).json(presentCustomerUser(user));
}

const loginOf = (req: Request) => parseInput(loginParam, req.params.login);

/** `/api/v1/customer-users`: search, create, read and change customer users; never delete them. */
export function customerUsersApi(deps: CustomerUsersApiDeps): Router {
  const router = Router();
  const listQuery = customerUserListQuery(deps.config.customerUsers.searchLimit);

  const sendLink = (req: Request, res: Response, actor: Actor, user: CustomerUserRecord, subject: AuditSubject): Promise<PasswordLinkResult> =>
    deps.accounts.sendPasswordLink(actor, user, publicBaseUrl(req, res, deps.config), subject);

  router.get('/customer-users', async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    const page = await deps.customerUsers.search(currentActor(req), query);
    res.json({ items: page.items.map(presentCustomerUser), total: page.total, totalCapped: page.capped, limit: page.limit });
  });

  router.post('/customer-users', async (req, res) => {
    const actor = currentActor(req);
    const subject = auditSubjectOf(actor, req.ip ?? null);
    const { user, generatedPassword } = await deps.customerUsers.create(actor, objectBody(req.body), subject);
    const passwordLink: PasswordLinkResult = generatedPassword === undefined ? { sent: false, reason: 'password-given' } : await sendLink(req, res, actor, user, subject);
    // The generated password is in this one answer only; it is stored nowhere in clear.
    const body = {
      ...presentCustomerUser(user),
      ...(generatedPassword !== undefined && { generatedPassword }),
      passwordLink,
    };
    res.status(201).location(`${req.baseUrl}/customer-users/${encodeURIComponent(user.login)}`).set('ETag', etagOf(user.version)).json(body);
  });

  router.get('/customer-users/:login', async (req, res) => {
    answer(res, await deps.customerUsers.get(currentActor(req), loginOf(req)));
  });

  router.patch('/customer-users/:login', async (req, res) => {
    const actor = currentActor(req);
    const body = objectBody(req.body);
    const version = expectedVersion(req.get('If-Match'), body.version);
    answer(res, await deps.customerUsers.update(actor, loginOf(req), body, auditSubjectOf(actor, req.ip ?? null), version));
  });

  router.delete('/customer-users/:login', (req, res) => {
    currentActor(req);
    res.set('Allow', 'GET, PATCH');
    throw methodNotAllowed('Customer users are never deleted: set validity to invalid (PATCH {"validity":"invalid"}).');
  });

  // Sending someone a way into their account is account administration, decided by the policy module.
  router.post('/customer-users/:login/password-link', apiRequires('customer-user.manage'), async (req, res) => {
    const actor = currentActor(req);
    emptyBody(req.body);
    const user = await deps.customerUsers.get(actor, loginOf(req));
    res.json(await sendLink(req, res, actor, user, auditSubjectOf(actor, req.ip ?? null)));
  });

  router.post('/customer-users/:login/anonymise', async (req, res) => {
    const actor = currentActor(req);
    const { confirm } = parseBody(anonymiseSchema, req.body);
    answer(res, await deps.accounts.anonymise(actor, loginOf(req), confirm, auditSubjectOf(actor, req.ip ?? null)));
  });

  return router;
}
