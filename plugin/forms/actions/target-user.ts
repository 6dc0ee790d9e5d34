import type { CustomerUserRecord } from '../../customers/backends/backend.js';
import { ruleViolation } from '../../errors.js';
import type { ActionContext, ActionPorts } from './types.js';

/**
 * The customer user an action works on: the run's stored target, a user created earlier in the run,
 * or (a login given) that user only when it is the target or one the run created. An action never
 * reaches anybody the scope rule did not admit.
 */
export async function subjectUser(ctx: ActionContext, ports: ActionPorts, login: string | undefined): Promise<CustomerUserRecord> {
  if (login !== undefined && login !== '') {
    const key = login.trim().toLowerCase();
    const created = ctx.created.get(key);
    if (created) return created;
    if (ctx.target?.login === key) return reload(ctx, ports, ctx.target.id);
    throw ruleViolation(`login: ${login} is not the target of this run.`, 'login', 'out_of_scope');
  }
  if (!ctx.target) throw ruleViolation('This action needs a customer user as target.', 'target', 'no_target');
  return reload(ctx, ports, ctx.target.id);
}

/** Read again inside the transaction: an earlier action of this run may have changed the user. */
export async function reload(ctx: ActionContext, ports: ActionPorts, id: number): Promise<CustomerUserRecord> {
  const stored = await ports.users.store.findById(id, ctx.tx);
  if (!stored) throw ruleViolation('The target no longer exists.', 'target', 'no_target');
  const [record] = await ports.users.db.toRecords([stored], ctx.map, ctx.tx);
  if (!record) throw ruleViolation('The target no longer exists.', 'target', 'no_target');
  return record;
}
