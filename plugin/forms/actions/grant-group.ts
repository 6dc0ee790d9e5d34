import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ group: z.string().trim().min(1).max(191), permission: z.string().trim().min(1).max(32).default('ro'), login: z.string().max(191).optional() });

/** Grants the user a permission in a group (kept beside what they already hold there). */
export const grantGroup = defineAction({
  type: 'grant-group',
  input,
  describe: (i) => `Grant ${i.permission} in group ${i.group}${i.login ? ` to ${i.login}` : ' to the target'}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    const group = await ports.groups.groups.findByName(i.group, ctx.tx);
    if (group?.validity !== 'valid') throw ruleViolation(`group: there is no valid group ${i.group}.`, 'group', 'unknown_group');
    const types = (await ports.groups.permissionTypes(ctx.tx)).map((t) => t.name);
    if (!types.includes(i.permission)) throw ruleViolation(`permission: there is no permission type ${i.permission}.`, 'permission', 'unknown_permission');
    const owner = { kind: 'customer-user' as const, id: user.id };
    const before = await ports.groups.ownGrants(owner, ctx.tx);
    const held = before.filter((g) => g.group === group.name).map((g) => g.permission);
    await ports.groups.setMemberPermissions(owner, group.id, [...new Set([...held, i.permission])], ctx.tx);
    const after = await ports.groups.ownGrants(owner, ctx.tx);
    await ports.audit.record(ctx.subject, { action: 'customer-user.groups', objectType: 'customer-user', objectId: user.login, before: { groups: before }, after: { groups: after, formRun: ctx.runId } }, ctx.tx);
    ctx.endSessionsOf(user.id);
    return `${user.login} holds ${i.permission} in ${group.name}.`;
  },
});
