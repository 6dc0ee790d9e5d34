import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction, type ActionContext, type ActionPorts } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ customerId: z.string().trim().min(1).max(150), login: z.string().max(191).optional() });
type Input = z.output<typeof input>;

async function relink(ctx: ActionContext, i: Input, ports: ActionPorts, linked: boolean): Promise<string> {
  const user = await subjectUser(ctx, ports, i.login);
  if (user.customerId === i.customerId) {
    if (linked) return `${user.login} belongs to ${i.customerId} already.`;
    throw ruleViolation(`customerId: ${i.customerId} is the primary customer of ${user.login}.`, 'customerId', 'primary_customer');
  }
  const extras = linked ? [...new Set([...user.customerIds, i.customerId])] : user.customerIds.filter((id) => id !== i.customerId);
  // The rules check the customer exists (exact ID) inside the transaction.
  await ports.users.rules.checkRelations({}, { customerIds: extras }, user, ctx.tx);
  await ports.users.store.setExtraCustomerIds(user.id, extras, ctx.tx);
  if (!linked && user.keyUserOf.includes(i.customerId)) await ports.users.store.setKeyUserOf(user.id, user.keyUserOf.filter((id) => id !== i.customerId), ctx.tx);
  await ports.users.store.bumpVersion(user.id, ctx.tx);
  await ports.audit.record(ctx.subject, { action: 'customer-user.update', objectType: 'customer-user', objectId: user.login, before: { customerIds: user.customerIds }, after: { customerIds: extras, formRun: ctx.runId } }, ctx.tx);
  ctx.endSessionsOf(user.id);
  return `${user.login} ${linked ? 'belongs to' : 'no longer belongs to'} ${i.customerId}.`;
}

export const linkCustomer = defineAction({
  type: 'link-customer',
  input,
  describe: (i) => `Add ${i.login ?? 'the target'} to customer ${i.customerId}.`,
  execute: (ctx, i, ports) => relink(ctx, i, ports, true),
});

export const unlinkCustomer = defineAction({
  type: 'unlink-customer',
  input,
  describe: (i) => `Remove ${i.login ?? 'the target'} from customer ${i.customerId}.`,
  execute: (ctx, i, ports) => relink(ctx, i, ports, false),
});
