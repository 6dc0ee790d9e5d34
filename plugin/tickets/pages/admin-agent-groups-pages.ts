import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { groupAssignmentsSchema, type GroupAssignments } from '../../access/groups/schema.js';
import type { GroupService } from '../../access/groups/service.js';
import { ALL_GROUPS } from '../../access/pages/deps.js';
import { parseAssignmentForm } from '../../access/pages/forms.js';
import { groupGrid } from '../../access/pages/grids.js';
import { accessProblem } from '../../access/pages/problems.js';
import type { AgentGroupService } from '../../agents/agent-groups-service.js';
import type { Agent } from '../../agents/schema.js';
import type { AgentService } from '../../agents/service.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { notFound } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { QueueService } from '../queue-service.js';
import { ticketAdminNoticeFrom, withTicketAdminNotice } from './admin-forms.js';

const loginParam = z.string().min(1).max(191);

const groupsPath = (res: Response, login: string): string => `${loketBase(res)}/admin/agents/${encodeURIComponent(login)}/groups`;

/**
 * One agent's groups: a grid of group × permission type (the same grid the customer-user page uses),
 * saved as one replacement of the set. The queues of each group are listed below it, because what a
 * grant means to an agent is which queues they see and work.
 */
export function agentGroupPages(deps: { agents: AgentService; groups: GroupService; agentGroups: AgentGroupService; queues: QueueService }): Router {
  const router = Router();
  const manage = pageRequires('agent-account.manage');

  async function findAgent(req: Request): Promise<Agent> {
    const login = parseInput(loginParam, req.params.login);
    const agent = await deps.agents.findByLogin(login);
    if (!agent) throw notFound(`No agent with login ${login}.`);
    return agent;
  }

  async function render(res: Response, actor: Actor, agent: Agent, state: { ticked?: GroupAssignments['groups']; problem?: FormProblem | null; status?: number; notice?: string | null }) {
    const [types, groups, queues] = await Promise.all([deps.groups.permissionTypes(), deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 }), deps.queues.all()]);
    const ticked = state.ticked ?? (await deps.agentGroups.groupsOf(actor, agent.login)).groups;
    const queuesOf = new Map<string, string[]>();
    for (const q of queues) queuesOf.set(q.group.toLowerCase(), [...(queuesOf.get(q.group.toLowerCase()) ?? []), q.name]);
    const grid = groupGrid('ag', groups.items, ticked, types.map((t) => t.name));
    res.status(state.status ?? 200).render('admin/agent-groups', {
      agent,
      action: groupsPath(res, agent.login),
      grid,
      groupQueues: grid.rows.map((row) => ({ group: row.group, queues: queuesOf.get(row.group.toLowerCase()) ?? [] })).filter((g) => g.queues.length > 0),
      problem: state.problem ?? null,
      notice: state.notice ?? null,
    });
  }

  router.get('/admin/agents/:login/groups', manage, async (req, res) => {
    await render(res, currentActor(req), await findAgent(req), { notice: ticketAdminNoticeFrom(req, translatorOf(res)) });
  });

  router.post('/admin/agents/:login/groups', manage, async (req, res) => {
    const actor = currentActor(req);
    const agent = await findAgent(req);
    const ticked = parseAssignmentForm(req.body).groups;
    try {
      const input = parseInput(groupAssignmentsSchema, { groups: ticked });
      await deps.agentGroups.setGroups(actor, agent.login, input, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withTicketAdminNotice(groupsPath(res, agent.login), 'groupsSaved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await render(res, actor, agent, { ticked, problem: accessProblem(refusal, translatorOf(res), 'assignment', { groups: 'ag-grid' }), status: refusal.status });
    }
  });

  return router;
}
