import { z } from 'zod';
import { searchTermsFor, writeOf } from '../../customers/backends/db/backend.js';
import { parseCustomerUserWrite } from '../../customers/customer-user-input.js';
import { forbidden, ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

/** Map fields by key; `login` picks the user (default: the target). */
const input = z.record(z.string().regex(/^[a-zA-Z][A-Za-z0-9]{0,39}$/), z.union([z.string().max(5000), z.boolean(), z.null()]));

/** Changes map fields, never read-only rows, never a directory user's fields (they belong to the directory). */
export const updateFields = defineAction({
  type: 'update-fields',
  input,
  describe: (i) => `Change ${Object.keys(i).filter((k) => k !== 'login').join(', ') || 'no fields'} of ${typeof i.login === 'string' ? i.login : 'the target'}.`,
  async execute(ctx, i, ports) {
    const { login, ...changes } = i;
    const user = await subjectUser(ctx, ports, typeof login === 'string' ? login : undefined);
    if (user.backend !== ports.users.db.key) throw forbidden(`${user.login} comes from a directory; change the fields there.`);
    for (const key of ['login', 'customerId', 'validity', 'password', 'customerIds', 'keyUserOf', 'manager']) {
      if (Object.hasOwn(changes, key)) throw ruleViolation(`${key}: not a field this action changes.`, key, 'not_a_field');
    }
    const { fields } = parseCustomerUserWrite(ctx.map, changes, { partial: true });
    for (const row of ctx.map) {
      if (row.readOnly && Object.hasOwn(fields, row.key) && fields[row.key] !== (user.fields[row.key] ?? null)) throw forbidden(`${row.key} is read-only.`);
    }
    await ports.users.rules.assertFree(fields, user, ctx.tx);
    const stored = await ports.users.store.findById(user.id, ctx.tx);
    const merged = { ...user.fields, ...fields };
    await ports.users.store.update(user.id, user.version, { ...writeOf(ctx.map, fields, stored?.extra), ...(fields.email !== undefined && { emailUnique: ports.emailUnique ? (fields.email as string) : null }) }, searchTermsFor(ctx.map, merged), ctx.tx);
    const before = Object.fromEntries(Object.keys(fields).map((k) => [k, user.fields[k] ?? null]));
    await ports.audit.record(ctx.subject, { action: 'customer-user.update', objectType: 'customer-user', objectId: user.login, before, after: { ...fields, formRun: ctx.runId } }, ctx.tx);
    return `${user.login}: ${Object.keys(fields).join(', ')} changed.`;
  },
});
