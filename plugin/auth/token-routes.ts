import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { can } from '../access/policy.js';
import type { AgentService } from '../agents/service.js';
import { auditSubjectOf } from '../audit/service.js';
import { notFound } from '../errors.js';
import { currentActor, loketBase, pageRequires } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import type { ApiTokenService, IssuedToken } from './api-token-service.js';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const issueForm = z.object({
  name: z.string(),
  expiresInDays: z.preprocess(emptyToUndefined, z.coerce.number().int().optional()),
  owner: z.preprocess(emptyToUndefined, z.string().max(191).optional()),
});

/** API tokens screen: agents see and make their own; admins see all and make them for any agent. */
export function tokenRoutes(deps: { apiTokens: ApiTokenService; agents: AgentService }): Router {
  const router = Router();
  router.use('/tokens', pageRequires('api-token.own'));

  async function render(res: Response, actor: Actor, issued: IssuedToken | null = null) {
    const manageAll = can(actor, 'api-token.manage');
    const tokens = manageAll ? await deps.apiTokens.listAll(actor) : await deps.apiTokens.listOwn(actor);
    const owners = manageAll ? await deps.agents.list(actor) : [];
    res.render('account/tokens', { tokens, owners, manageAll, issued });
  }

  router.get('/tokens', async (req, res) => {
    await render(res, currentActor(req));
  });

  router.post('/tokens', async (req, res) => {
    const actor = currentActor(req);
    const input = parseInput(issueForm, req.body);
    let owner = { principal: actor.principal, login: actor.login };
    if (input.owner && input.owner !== actor.login) {
      const agent = await deps.agents.findByLogin(input.owner);
      if (!agent) throw notFound('No such agent.');
      owner = { principal: { type: 'agent', id: agent.id }, login: agent.login };
    }
    const issued = await deps.apiTokens.issueAsActor(
      actor,
      owner,
      { name: input.name, expiresInDays: input.expiresInDays },
      auditSubjectOf(actor, req.ip ?? null),
    );
    res.status(201);
    await render(res, actor, issued);
  });

  router.post('/tokens/:id/revoke', async (req, res) => {
    const actor = currentActor(req);
    const id = parseInput(z.coerce.number().int().positive(), req.params.id);
    await deps.apiTokens.revoke(actor, id, auditSubjectOf(actor, req.ip ?? null));
    res.redirect(303, `${loketBase(res)}/tokens`);
  });

  return router;
}
