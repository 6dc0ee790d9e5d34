import { Router } from 'express';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import type { DashboardService } from '../dashboard-service.js';
import { dashboardView } from './dashboard-view.js';

/** The agents' ticket dashboard: server-drawn charts, each with its numbers as a table. */
export function dashboardPages(deps: { dashboard: DashboardService }): Router {
  const router = Router();

  router.get('/agent/dashboard', pageRequires('agent.use'), async (req, res) => {
    const dashboard = await deps.dashboard.overview(currentActor(req));
    res.render('agent/dashboard', dashboardView(dashboard, translatorOf(res), String(res.locals.lang ?? 'en')));
  });

  return router;
}
