import { Router } from 'express';
import type { GroupService } from '../../access/groups/service.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import type { DeflectionService } from '../deflection-service.js';
import type { QueueService } from '../queue-service.js';
import type { TicketService } from '../ticket-service.js';
import { agentGroupsApi } from './agent-groups-api.js';
import { deflectionApi } from './deflection-api.js';
import { queueApi } from './queue-api.js';
import { ticketApi } from './ticket-api.js';

export { ticketsOperations } from './operations.js';

export interface TicketApiDeps {
  tickets: TicketService;
  queues: QueueService;
  agentGroups: AgentGroupService;
  groups: GroupService;
  deflections: DeflectionService;
}

/** Tickets, queues, agents' groups and the FAQ deflections under `/api/v1`. */
export function ticketsApi(deps: TicketApiDeps): Router {
  const router = Router();
  router.use(ticketApi(deps));
  router.use(queueApi(deps));
  router.use(agentGroupsApi(deps));
  router.use(deflectionApi(deps));
  return router;
}
