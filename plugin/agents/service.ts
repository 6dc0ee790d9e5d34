import { principalKey, type Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { conflict, notFound, ruleViolation, validationError } from '../errors.js';
import { newAgentSchema, type Agent, type NewAgentInput, type Validity } from './schema.js';
import type { AgentStore } from './store.js';

export interface CreatedAgent {
  agent: Agent;
  /** Present only when the password was generated: shown once, never stored in clear. */
  generatedPassword?: string;
}

/** Agents and admins: the provider's own staff, always local accounts. */
export function createAgentService(deps: {
  store: AgentStore;
  audit: AuditService;
  /** Ends every session of a disabled agent at once (the store knows sessions, this service does not). */
  endSessions: (principalKey: string) => Promise<unknown>;
  /** One login form serves agents and customer users, so a login may name only one person. */
  loginTakenByCustomerUser: (login: string) => Promise<boolean>;
}) {
  async function create(input: NewAgentInput, subject: AuditSubject): Promise<CreatedAgent> {
    const parsed = newAgentSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw validationError(issue?.message ?? 'Invalid agent.', issue?.path.join('.'));
    }
    if (await deps.loginTakenByCustomerUser(parsed.data.login)) throw conflict('This login is already in use.', 'login', 'duplicate');
    const generatedPassword = parsed.data.password ? undefined : generatePassword();
    const agent = await deps.store.insert({
      login: parsed.data.login,
      email: parsed.data.email,
      firstName: parsed.data.firstName,
      lastName: parsed.data.lastName,
      role: parsed.data.role,
      language: parsed.data.language ?? null,
      passwordHash: await hashPassword(parsed.data.password ?? generatedPassword ?? ''),
    });
    await deps.audit.record(subject, {
      action: 'agent.create',
      objectType: 'agent',
      objectId: agent.login,
      after: { login: agent.login, email: agent.email, role: agent.role },
    });
    return generatedPassword ? { agent, generatedPassword } : { agent };
  }

  return {
    /** From the CLI or the demo seed: no signed-in actor, the subject says who. */
    createFromOperator: create,

    async createAsActor(actor: Actor, input: NewAgentInput, subject: AuditSubject): Promise<CreatedAgent> {
      requireCapability(actor, 'agent-account.manage');
      return create(input, subject);
    },

    /**
     * Password check for login. Unknown logins and invalid accounts cost the same argon2 work as a wrong
     * password, so neither the answer nor its timing tells them apart.
     */
    async verifyCredentials(login: string, password: string): Promise<Agent | null> {
      const found = await deps.store.findCredentials(login.trim().toLowerCase());
      const ok = await verifyPassword(found?.passwordHash ?? null, password);
      if (!found || !ok || found.agent.validity !== 'valid') return null;
      await deps.store.recordLogin(found.agent.id);
      return found.agent;
    },

    findById: (id: number) => deps.store.findById(id),
    findByLogin: (login: string) => deps.store.findByLogin(login.trim().toLowerCase()),
    count: () => deps.store.count(),

    list(actor: Actor, limit = 500): Promise<Agent[]> {
      requireCapability(actor, 'agent-account.manage');
      return deps.store.list(limit);
    },

    async setValidity(actor: Actor, login: string, validity: Validity, subject: AuditSubject): Promise<Agent> {
      requireCapability(actor, 'agent-account.manage');
      const agent = await deps.store.findByLogin(login.trim().toLowerCase());
      if (!agent) throw notFound(`No agent with login ${login}.`);
      if (agent.id === actor.principal.id && validity !== 'valid') {
        throw ruleViolation('You cannot disable your own account.', 'validity', 'self_disable');
      }
      await deps.store.setValidity(agent.id, validity);
      if (validity !== 'valid') await deps.endSessions(principalKey({ type: 'agent', id: agent.id }));
      await deps.audit.record(subject, {
        action: 'agent.validity',
        objectType: 'agent',
        objectId: agent.login,
        before: { validity: agent.validity },
        after: { validity },
      });
      return { ...agent, validity };
    },
  };
}

export type AgentService = ReturnType<typeof createAgentService>;
