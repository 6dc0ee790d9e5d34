import { Router } from 'express';
import type { GroupService } from '../../access/groups/service.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import type { AgentService } from '../../agents/service.js';
import type { DashboardService } from '../dashboard-service.js';
import type { QueueService } from '../queue-service.js';
import { agentGroupPages } from './admin-agent-groups-pages.js';
import { queueAdminPages } from './admin-queue-pages.js';
import { dashboardPages } from './dashboard-pages.js';

export interface TicketAdminDeps {
  queues: QueueService;
  groups: GroupService;
  agents: AgentService;
  agentGroups: AgentGroupService;
  dashboard: DashboardService;
}

/** Queues and agents' groups (admins), and the agents' ticket dashboard. */
export function ticketAdminPages(deps: TicketAdminDeps): Router {
  const router = Router();
  router.use(queueAdminPages(deps));
  router.use(agentGroupPages(deps));
  router.use(dashboardPages(deps));
  return router;
}
