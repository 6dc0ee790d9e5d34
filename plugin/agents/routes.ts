import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditSubjectOf } from '../audit/service.js';
import { currentActor, loketBase, pageRequires } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { AGENT_ROLES, VALIDITIES } from './schema.js';
import type { AgentService, CreatedAgent } from './service.js';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const createForm = z.object({
  login: z.string(),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  role: z.enum(AGENT_ROLES),
  password: z.preprocess(emptyToUndefined, z.string().optional()),
});

const validityForm = z.object({ validity: z.enum(VALIDITIES) });

/** Admin screen: the provider's agents and admins. */
export function agentAdminRoutes(deps: { agents: AgentService }): Router {
  const router = Router();
  router.use('/admin/agents', pageRequires('agent-account.manage'));

  async function renderList(res: Response, actor: Actor, created: CreatedAgent | null = null) {
    const agents = await deps.agents.list(actor);
    res.render('admin/agents', { agents, created, roles: AGENT_ROLES, validities: VALIDITIES });
  }

  router.get('/admin/agents', async (req, res) => {
    await renderList(res, currentActor(req));
  });

  router.post('/admin/agents', async (req, res) => {
    const actor = currentActor(req);
    const fields = parseInput(createForm, req.body);
    const created = await deps.agents.createAsActor(actor, fields, auditSubjectOf(actor, req.ip ?? null));
    // The generated password is rendered into this one response and stored nowhere in clear.
    res.status(201);
    await renderList(res, actor, created);
  });

  router.post('/admin/agents/:login/validity', async (req, res) => {
    const actor = currentActor(req);
    const input = parseInput(validityForm, req.body);
    await deps.agents.setValidity(actor, String(req.params.login), input.validity, auditSubjectOf(actor, req.ip ?? null));
    res.redirect(303, `${loketBase(res)}/admin/agents`);
  });

  return router;
}
