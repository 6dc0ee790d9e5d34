import type { Actor, DeputyGrant, Principal, Role } from '../access/actor.js';
import { agentDisplayName, type Agent } from '../agents/schema.js';
import type { AgentService } from '../agents/service.js';
import { customerUserName, type CustomerUserRecord } from '../customers/backends/backend.js';

export const agentActor = (agent: Agent, authenticatedBy: Actor['authenticatedBy'], groupPermissions: Record<string, string[]> = {}): Actor => ({
  kind: agent.role,
  principal: { type: 'agent', id: agent.id },
  login: agent.login,
  displayName: agentDisplayName(agent),
  email: agent.email,
  roles: agent.role === 'admin' ? ['admin', 'agent'] : ['agent'],
  customerId: null,
  customerIds: [],
  keyUserOf: [],
  groupPermissions,
  effectiveCustomerId: null,
  delegation: null,
  deputyFor: [],
  authenticatedBy,
  language: agent.language,
});

export function customerActor(
  user: CustomerUserRecord,
  facts: { hasReports: boolean; groupPermissions: Record<string, string[]>; deputyFor?: readonly DeputyGrant[] },
  authenticatedBy: Actor['authenticatedBy'],
): Actor {
  const deputyFor = facts.deputyFor ?? [];
  const keyUserOf = [...user.keyUserOf, ...deputyFor.flatMap((g) => g.keyUserOf).filter((id) => !user.keyUserOf.includes(id))];
  const roles: Role[] = ['customer'];
  if (keyUserOf.length) roles.push('key-user');
  if (facts.hasReports || deputyFor.some((g) => g.manager)) roles.push('manager');
  return {
    kind: 'customer',
    principal: { type: 'customer-user', id: user.id },
    login: user.login,
    displayName: customerUserName(user),
    email: user.email,
    roles,
    customerId: user.customerId,
    customerIds: [user.customerId, ...user.customerIds],
    keyUserOf: [...new Set(keyUserOf)],
    groupPermissions: facts.groupPermissions,
    effectiveCustomerId: user.customerId,
    delegation: null,
    deputyFor,
    authenticatedBy,
    language: user.language,
  };
}

interface CustomerUserLookup {
  findById(id: number): Promise<CustomerUserRecord | null>;
  hasReports(id: number): Promise<boolean>;
}

/** Holiday cover in force for a customer user (plugin/delegation/deputy-service.ts). */
interface DeputyLookup {
  grantsFor(user: CustomerUserRecord): Promise<DeputyGrant[]>;
}

interface GroupPermissionLookup {
  permissionIndexFor(user: CustomerUserRecord): Promise<Record<string, string[]>>;
}

interface CustomerUserLogin {
  verifyCredentials(loginOrEmail: string, password: string): Promise<CustomerUserRecord | null>;
}

/**
 * Turns a stored principal (session or token) into a fresh Actor on every request, so a disabled
 * account, a changed role or a revoked key-user mark counts from the very next request.
 */
export function createActorResolver(deps: {
  agents: AgentService;
  customerUsers: CustomerUserLookup;
  customerLogin: CustomerUserLogin;
  permissions: GroupPermissionLookup;
  agentGroups: { permissionIndexFor(agentId: number): Promise<Record<string, string[]>> };
  directoryLogin: CustomerUserLogin;
  deputies?: DeputyLookup;
}) {
  const forAgent = async (agent: Agent, authenticatedBy: Actor['authenticatedBy']): Promise<Actor> =>
    agentActor(agent, authenticatedBy, await deps.agentGroups.permissionIndexFor(agent.id));

  async function forCustomer(user: CustomerUserRecord | null, authenticatedBy: Actor['authenticatedBy']): Promise<Actor | null> {
    if (user?.validity !== 'valid') return null;
    const [hasReports, groupPermissions, deputyFor] = await Promise.all([deps.customerUsers.hasReports(user.id), deps.permissions.permissionIndexFor(user), deps.deputies?.grantsFor(user) ?? []]);
    return customerActor(user, { hasReports, groupPermissions, deputyFor }, authenticatedBy);
  }

  return {
    async resolve(principal: Principal, authenticatedBy: Actor['authenticatedBy']): Promise<Actor | null> {
      if (principal.type === 'agent') {
        const agent = await deps.agents.findById(principal.id);
        return agent?.validity === 'valid' ? forAgent(agent, authenticatedBy) : null;
      }
      return forCustomer(await deps.customerUsers.findById(principal.id), authenticatedBy);
    },

    /**
     * Every login path in order: agents first, then customer users (login or e-mail). A customer user can
     * never take an agent's login, so the order decides nothing by accident.
     */
    async verifyCredentials(login: string, password: string): Promise<Actor | null> {
      const agent = await deps.agents.verifyCredentials(login, password);
      if (agent) return forAgent(agent, 'session');
      return forCustomer(await deps.customerLogin.verifyCredentials(login, password), 'session');
    },

    /** Directory users (LDAP): bind as their entry. Throws DirectoryUnavailable when the directory is down. */
    async verifyDirectoryCredentials(login: string, password: string): Promise<Actor | null> {
      return forCustomer(await deps.directoryLogin.verifyCredentials(login, password), 'session');
    },
  };
}

export type ActorResolver = ReturnType<typeof createActorResolver>;
