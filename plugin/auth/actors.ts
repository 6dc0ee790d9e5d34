import type { Actor, Principal } from '../access/actor.js';
import { agentDisplayName, type Agent } from '../agents/schema.js';
import type { AgentService } from '../agents/service.js';

export const agentActor = (agent: Agent, authenticatedBy: Actor['authenticatedBy']): Actor => ({
  kind: agent.role,
  principal: { type: 'agent', id: agent.id },
  login: agent.login,
  displayName: agentDisplayName(agent),
  email: agent.email,
  roles: agent.role === 'admin' ? ['admin', 'agent'] : ['agent'],
  customerId: null,
  effectiveCustomerId: null,
  delegation: null,
  authenticatedBy,
  language: agent.language,
});

/**
 * Turns a stored principal (session or token) into a fresh Actor on every request, so a disabled
 * account or a changed role counts from the very next request.
 */
export function createActorResolver(deps: { agents: AgentService }) {
  return {
    async resolve(principal: Principal, authenticatedBy: Actor['authenticatedBy']): Promise<Actor | null> {
      if (principal.type === 'agent') {
        const agent = await deps.agents.findById(principal.id);
        return agent?.validity === 'valid' ? agentActor(agent, authenticatedBy) : null;
      }
      return null;
    },

    /** Every login path in order; the customer-user backends join this chain in their own issue. */
    async verifyCredentials(login: string, password: string): Promise<Actor | null> {
      const agent = await deps.agents.verifyCredentials(login, password);
      return agent ? agentActor(agent, 'session') : null;
    },
  };
}

export type ActorResolver = ReturnType<typeof createActorResolver>;
