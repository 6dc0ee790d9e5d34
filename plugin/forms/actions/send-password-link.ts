import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ login: z.string().max(191).optional() });

/** Mails a one-time set-password link once the run has committed (never for a run rolled back). */
export const sendPasswordLink = defineAction({
  type: 'send-password-link',
  input,
  describe: (i) => `Mail a set-password link to ${i.login ?? 'the target'}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    if (user.backend !== ports.users.db.key) throw ruleViolation(`${user.login} signs in with their directory password.`, 'login', 'directory_user');
    if (user.validity !== 'valid') throw ruleViolation(`${user.login} is not valid.`, 'login', 'not_valid');
    ctx.afterCommit(() => ports.sendPasswordLink(user.id, ctx.subject));
    return `A set-password link goes to ${user.login}.`;
  },
});
