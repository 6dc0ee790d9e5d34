import { z } from 'zod';
import { defineAction } from './types.js';

const input = z.strictObject({ to: z.string().trim().email().max(191), subject: z.string().trim().min(1).max(200), body: z.string().max(5000).default('') });

/** A plain mail, sent after commit. */
export const sendEmail = defineAction({
  type: 'send-email',
  input,
  describe: (i) => `Mail "${i.subject}" to ${i.to}.`,
  execute(ctx, i, ports) {
    ctx.afterCommit(() => ports.sendMail(i.to, i.subject, i.body));
    return Promise.resolve(`A mail goes to ${i.to}.`);
  },
});
