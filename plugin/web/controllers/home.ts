import { Router } from 'express';
import { homePathFor } from '../../access/policy.js';
import type { AgentService } from '../../agents/service.js';
import { loketBase, pageRequires } from '../middleware/guards.js';

/** The three areas' start pages. They show what exists today and fill up as features land. */
export function homeRoutes(deps: { agents: AgentService }): Router {
  const router = Router();

  router.get('/', (req, res) => {
    res.redirect(303, loketBase(res) + (req.user ? homePathFor(req.user) : '/login'));
  });

  router.get('/portal', pageRequires('portal.use'), (_req, res) => {
    res.render('portal/home');
  });

  router.get('/agent', pageRequires('agent.use'), async (req, res) => {
    const self = req.user ? await deps.agents.findById(req.user.principal.id) : null;
    res.render('agent/home', { self });
  });

  router.get('/admin', pageRequires('admin.use'), async (_req, res) => {
    res.render('admin/home', { agentCount: await deps.agents.count() });
  });

  return router;
}
