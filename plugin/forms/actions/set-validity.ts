import { z } from 'zod';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ validity: z.enum(['valid', 'invalid', 'invalid-temporarily']), login: z.string().max(191).optional() });

/** Makes the user valid or invalid; an invalidated user's sessions end after commit. */
export const setValidity = defineAction({
  type: 'set-validity',
  input,
  describe: (i) => `Set ${i.login ?? 'the target'} to ${i.validity}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    if (user.validity === i.validity) return `${user.login} was ${i.validity} already.`;
    await ports.users.store.update(user.id, user.version, { columns: {}, validity: i.validity }, null, ctx.tx);
    await ports.audit.record(ctx.subject, { action: 'customer-user.validity', objectType: 'customer-user', objectId: user.login, before: { validity: user.validity }, after: { validity: i.validity, formRun: ctx.runId } }, ctx.tx);
    if (i.validity !== 'valid') ctx.endSessionsOf(user.id);
    return `${user.login} is ${i.validity}.`;
  },
});
