import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';

const input = z.strictObject({ queue: z.string().trim().min(1).max(191), title: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(5000) });

/** A follow-up ticket for the target (or the requesting customer user), filed once the run has committed. */
export const createTicket = defineAction({
  type: 'create-ticket',
  input,
  describe: (i) => `File a ticket "${i.title}" in ${i.queue}.`,
  execute(ctx, i, ports) {
    const customerUserId = ctx.target?.id ?? (ctx.requester.kind === 'customer-user' ? ctx.requester.id : null);
    if (customerUserId === null) return Promise.reject(ruleViolation('A ticket needs a customer user: the target or the requester.', 'target', 'no_target'));
    ctx.afterCommit(() => ports.createTicket({ ...i, customerUserId, runId: ctx.runId }));
    return Promise.resolve(`A ticket "${i.title}" is filed in ${i.queue}.`);
  },
});
