import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { ApproverRule } from './definition.js';
import type { Party } from './run-store.js';
import { displayName } from './scope.js';
import type { ScopeStore } from './scope-store.js';

export interface Approver extends Party {
  reason: string;
  email: string | null;
  language: string | null;
}

export interface ApproverContext {
  requester: Party;
  target: CustomerUserRecord | null;
  targetCustomerId: string | null;
}

export interface ApproverDeps {
  store: ScopeStore;
  findUser(id: number): Promise<CustomerUserRecord | null>;
}

const asApprover = (user: CustomerUserRecord, reason: string): Approver => ({ kind: 'customer-user', id: user.id, login: user.login, name: displayName(user), reason, email: user.email, language: user.language });

/**
 * Who approves one step: the approvers of record, fixed at submit. Every approver resolution goes through
 * here. Only valid people; the requester is never an approver of their own run. Holiday deputies are NOT
 * routed here but at decide time (plugin/forms/stand-ins.ts): a run submitted before the holiday began
 * reaches the deputy as well, and the approval stays the approver's of record.
 */
export async function resolveApprovers(deps: ApproverDeps, rules: readonly ApproverRule[], ctx: ApproverContext): Promise<Approver[]> {
  const found: Approver[] = [];
  const user = async (id: number | null, reason: string) => {
    if (id === null) return;
    const u = await deps.findUser(id);
    if (u?.validity === 'valid') found.push(asApprover(u, reason));
  };
  for (const rule of rules) {
    switch (rule.kind) {
      case 'manager-of-target':
        await user(ctx.target?.managerId ?? null, 'manager-of-target');
        break;
      case 'manager-of-requester':
        if (ctx.requester.kind === 'customer-user') await user((await deps.findUser(ctx.requester.id))?.managerId ?? null, 'manager-of-requester');
        break;
      case 'key-users-of-target-customer': {
        const customerId = ctx.target?.customerId ?? ctx.targetCustomerId;
        if (customerId) for (const id of await deps.store.keyUserIds(customerId)) await user(id, 'key-user');
        break;
      }
      case 'agents-in-group':
        for (const a of await deps.store.agentsInGroup(rule.group)) found.push({ kind: 'agent', id: a.id, login: a.login, name: a.name, reason: `agents-in-group:${rule.group}`, email: a.email, language: a.language });
        break;
    }
  }
  const seen = new Set<string>();
  return found.filter((a) => {
    const key = `${a.kind}:${a.id}`;
    if (seen.has(key) || (a.kind === ctx.requester.kind && a.id === ctx.requester.id)) return false;
    seen.add(key);
    return true;
  });
}
