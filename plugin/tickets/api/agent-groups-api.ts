import { Router, type Request } from 'express';
import type { GroupAssignments } from '../../access/groups/schema.js';
import { groupAssignmentsSchema } from '../../access/groups/schema.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import { auditSubjectOf } from '../../audit/service.js';
import { loginParam, parseBody } from '../../customers/api-schemas.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { rankPermissions } from './schemas.js';

const loginOf = (req: Request): string => parseInput(loginParam, req.params.login);
const ranked = (set: GroupAssignments): GroupAssignments => ({ groups: set.groups.map((g) => ({ group: g.group, permissions: rankPermissions(g.permissions) })) });

/**
 * `/api/v1/agents/{login}/groups`: which queues an agent sees (ro), works (rw) and files in (create),
 * in the body shape of the customer users' group assignments. Staff only: customer users never learn
 * which agent logins exist.
 */
export function agentGroupsApi(deps: { agentGroups: AgentGroupService }): Router {
  const router = Router();

  router.get('/agents/:login/groups', apiRequires('agent.use'), async (req, res) => {
    res.json(ranked(await deps.agentGroups.groupsOf(currentActor(req), loginOf(req))));
  });

  router.put('/agents/:login/groups', apiRequires('agent-account.manage'), async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(groupAssignmentsSchema, req.body);
    res.json(ranked(await deps.agentGroups.setGroups(actor, loginOf(req), body, auditSubjectOf(actor, req.ip ?? null))));
  });

  return router;
}
