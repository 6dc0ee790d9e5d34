import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ group: z.string().trim().min(1).max(191), permission: z.string().trim().min(1).max(32).optional(), login: z.string().max(191).optional() });

/** Takes a direct grant away (one permission, or every permission in the group). */
export const revokeGroup = defineAction({
  type: 'revoke-group',
  input,
  describe: (i) => `Revoke ${i.permission ?? 'every permission'} in group ${i.group}${i.login ? ` from ${i.login}` : ' from the target'}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    const group = await ports.groups.groups.findByName(i.group, ctx.tx);
    if (!group) throw ruleViolation(`group: there is no group ${i.group}.`, 'group', 'unknown_group');
    const owner = { kind: 'customer-user' as const, id: user.id };
    const before = await ports.groups.ownGrants(owner, ctx.tx);
    const kept = before.filter((g) => g.group === group.name && i.permission !== undefined && g.permission !== i.permission).map((g) => g.permission);
    await ports.groups.setMemberPermissions(owner, group.id, kept, ctx.tx);
    const after = await ports.groups.ownGrants(owner, ctx.tx);
    await ports.audit.record(ctx.subject, { action: 'customer-user.groups', objectType: 'customer-user', objectId: user.login, before: { groups: before }, after: { groups: after, formRun: ctx.runId } }, ctx.tx);
    ctx.endSessionsOf(user.id);
    return `${user.login} no longer holds ${i.permission ?? 'any permission'} in ${group.name} directly.`;
  },
});
