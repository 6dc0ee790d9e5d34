import { Router } from 'express';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import type { ApiOperation } from '../../web/openapi.js';
import type { DeflectionService } from '../deflection-service.js';
import type { QueueService } from '../queue-service.js';
import type { TicketService } from '../ticket-service.js';

export interface TicketApiDeps {
  tickets: TicketService;
  queues: QueueService;
  agentGroups: AgentGroupService;
  deflections: DeflectionService;
}

/** SCAFFOLD (helper fills in): /api/v1/tickets, /api/v1/queues, agents' groups, deflections. */
export function ticketsApi(_deps: TicketApiDeps): Router {
  return Router();
}

export const ticketsOperations: ApiOperation[] = [];
