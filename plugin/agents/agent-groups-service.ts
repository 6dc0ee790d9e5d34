import type { Actor } from '../access/actor.js';
import type { NameChecks } from '../access/assignment-names.js';
import { groupedGrants } from '../access/assignments.js';
import { computeEffectivePermissions, permissionIndex } from '../access/effective-permissions.js';
import type { GroupAssignments } from '../access/groups/schema.js';
import type { GroupStore } from '../access/groups/store.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { notFound } from '../errors.js';
import type { AgentGroupStore } from './agent-groups-store.js';
import type { AgentStore } from './store.js';

/**
 * Agents' group permissions: which queues an agent sees (`ro`), works (`rw`) and files tickets in
 * (`create`). Admins hold every group without grants. Managed by admins, audited.
 */
export function createAgentGroupService(deps: { store: AgentGroupStore; agents: AgentStore; groups: GroupStore; names: NameChecks; audit: AuditService; transaction: RunInTransaction }) {
  async function agentByLogin(login: string) {
    const agent = await deps.agents.findByLogin(login.trim().toLowerCase());
    if (!agent) throw notFound(`No agent with login ${login}.`);
    return agent;
  }

  return {
    /** For the session: group → permissions (`rw` implies every type), computed afresh per request. */
    async permissionIndexFor(agentId: number): Promise<Record<string, string[]>> {
      const [direct, types] = await Promise.all([deps.store.validGrants(agentId), deps.groups.permissionTypes()]);
      const effective = computeEffectivePermissions({ permissionTypes: types.map((t) => t.name), direct, byCustomer: [], defaults: [], services: { direct: [], byCustomer: [], byGroup: [], defaults: [] } });
      return permissionIndex(effective);
    },

    async groupsOf(actor: Actor, login: string): Promise<GroupAssignments> {
      const agent = await agentByLogin(login);
      if (agent.id !== actor.principal.id || actor.principal.type !== 'agent') requireCapability(actor, 'agent-account.manage');
      return { groups: groupedGrants(await deps.store.grants(agent.id)) };
    },

    async setGroups(actor: Actor, login: string, input: GroupAssignments, subject: AuditSubject): Promise<GroupAssignments> {
      requireCapability(actor, 'agent-account.manage');
      const agent = await agentByLogin(login);
      return deps.transaction(async (tx) => {
        const checked = await deps.names.checkGroups(input.groups, tx);
        const before = await deps.store.grants(agent.id, tx);
        await deps.store.replace(agent.id, checked, tx);
        const after = { groups: groupedGrants(checked.map(({ group, permission }) => ({ group, permission }))) };
        await deps.audit.record(subject, { action: 'agent.groups', objectType: 'agent', objectId: agent.login, before: { groups: groupedGrants(before) }, after }, tx);
        return after;
      });
    },
  };
}

export type AgentGroupService = ReturnType<typeof createAgentGroupService>;
