import { Router } from 'express';
import type { GroupService } from '../../access/groups/service.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import type { AgentService } from '../../agents/service.js';
import type { QueueService } from '../queue-service.js';

export interface TicketAdminDeps {
  queues: QueueService;
  groups: GroupService;
  agents: AgentService;
  agentGroups: AgentGroupService;
}

/** SCAFFOLD (helper fills in): admin screens for queues and agents' groups, and the dashboard. */
export function ticketAdminPages(_deps: TicketAdminDeps): Router {
  return Router();
}
