import { passwordChangeThrottle } from '../auth/login-throttle.js';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { auditSubjectOf } from '../audit/service.js';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords.js';
import { apiRequires, currentActor } from '../web/middleware/guards.js';
import type { ApiOperation } from '../web/openapi.js';
import { parseInput } from '../web/validate.js';
import { etagOf, expectedVersion, objectBody, profilePatchSchema } from './api-schemas.js';
import type { CustomerUserRecord } from './backends/backend.js';
import { newPasswordSchema, type CustomerUserAccounts } from './customer-user-accounts.js';
import type { CustomerUserService } from './customer-user-service.js';
import { customerUserResponseSchema, presentCustomerUser } from './present.js';
import { renewSession } from './renew-session.js';

const passwordChangeBody = z.object({
  current: z.string().max(MAX_PASSWORD_LENGTH),
  password: newPasswordSchema,
});

export const profileOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me/profile',
    summary: 'The calling customer user\'s own record (session or token); the ETag header carries its version',
    tag: 'self-service',
    response: customerUserResponseSchema,
    errors: { 401: 'No valid session or token', 403: 'Only customer users have a profile here' },
  },
  {
    method: 'patch',
    path: '/me/profile',
    summary: 'Change one\'s own contact details and language; identity, customer, validity and relations are refused with 403 naming the field',
    tag: 'self-service',
    request: profilePatchSchema,
    response: customerUserResponseSchema,
    errors: {
      401: 'No valid session or token',
      400: 'A field is invalid or unknown (field names it)',
      403: 'Only customer users have a profile; or a field one cannot change oneself (field names it)',
      409: 'edit_conflict: changed since that version',
    },
  },
  {
    method: 'post',
    path: '/profile/password',
    summary: 'Change one\'s own password (customer users whose password Loket keeps). Every other session of the person ends; a session caller goes on under a new session id (new cookie). Answers 204.',
    tag: 'self-service',
    request: passwordChangeBody,
    errors: {
      400: 'The body is not `{ current, password }` of strings, or the new password breaks the length rule (field password)',
      401: 'No valid session or token',
      403: 'Not a customer user, or a session call without its CSRF token',
      422: 'wrong_password (field current); same_password (field password); password_managed_elsewhere: the directory keeps this password',
    },
  },
];

function answer(res: Response, user: CustomerUserRecord): void {
  res.set('ETag', etagOf(user.version)).json(presentCustomerUser(user));
}

/** `/api/v1/me/profile`: self-service for customer users; staff manage people through /customer-users. */
export function profileApi(deps: { customerUsers: CustomerUserService }): Router {
  const router = Router();
  router.use('/me/profile', apiRequires('profile.own'));

  router.get('/me/profile', async (req, res) => {
    const actor = currentActor(req);
    answer(res, await deps.customerUsers.get(actor, actor.login));
  });

  router.patch('/me/profile', async (req, res) => {
    const actor = currentActor(req);
    const body = objectBody(req.body);
    const version = expectedVersion(req.get('If-Match'), body.version);
    const input = { ...body, ...(version !== undefined && { version }) };
    answer(res, await deps.customerUsers.updateOwnProfile(actor, input, auditSubjectOf(actor, req.ip ?? null)));
  });

  return router;
}

/** `POST /api/v1/profile/password`: a customer user changes their own password. */
export function ownPasswordApi(deps: { accounts: CustomerUserAccounts }): Router {
  const router = Router();

  router.post('/profile/password', apiRequires('profile.own'), passwordChangeThrottle(), async (req, res) => {
    const actor = currentActor(req);
    const { current, password } = parseInput(passwordChangeBody, objectBody(req.body));
    await deps.accounts.changeOwnPassword(actor, current, password, auditSubjectOf(actor, req.ip ?? null));
    await renewSession(req, actor);
    res.status(204).end();
  });

  return router;
}
