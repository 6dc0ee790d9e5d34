import { Router } from 'express';
import { homePathFor } from '../../access/policy.js';
import type { AgentService } from '../../agents/service.js';
import { loketBase, pageRequires } from '../middleware/guards.js';

/**
 * The areas' start pages. The portal's is answered beside its ticket pages (tickets/pages/portal-pages.ts),
 * since it lists the latest tickets.
 */
export function homeRoutes(deps: { agents: AgentService }): Router {
  const router = Router();

  router.get('/', (req, res) => {
    res.redirect(303, loketBase(res) + (req.user ? homePathFor(req.user) : '/login'));
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
