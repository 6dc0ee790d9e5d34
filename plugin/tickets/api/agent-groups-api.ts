import { Router, type Request } from 'express';
import type { GroupAssignments } from '../../access/groups/schema.js';
import { groupAssignmentsSchema } from '../../access/groups/schema.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import { auditSubjectOf } from '../../audit/service.js';
import { loginParam, parseBody } from '../../customers/api-schemas.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { rankedPermissions } from '../../access/api/schemas.js';
import type { GroupService } from '../../access/groups/service.js';

const loginOf = (req: Request): string => parseInput(loginParam, req.params.login);

/**
 * `/api/v1/agents/{login}/groups`: which queues an agent sees (ro), works (rw) and files in (create),
 * in the body shape of the customer users' group assignments. Staff only: customer users never learn
 * which agent logins exist.
 */
export function agentGroupsApi(deps: { agentGroups: AgentGroupService; groups: GroupService }): Router {
  const router = Router();

  // Weakest first by the permission types' order, as the customer users' group assignments answer.
  const ranked = async (set: GroupAssignments): Promise<GroupAssignments> => {
    const rank = rankedPermissions(await deps.groups.permissionTypes());
    return { groups: set.groups.map((g) => ({ group: g.group, permissions: rank(g.permissions) })) };
  };

  router.get('/agents/:login/groups', apiRequires('agent.use'), async (req, res) => {
    res.json(await ranked(await deps.agentGroups.groupsOf(currentActor(req), loginOf(req))));
  });

  router.put('/agents/:login/groups', apiRequires('agent-account.manage'), async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(groupAssignmentsSchema, req.body);
    res.json(await ranked(await deps.agentGroups.setGroups(actor, loginOf(req), body, auditSubjectOf(actor, req.ip ?? null))));
  });

  return router;
}
