import { z } from 'zod';
import { generatePassword, hashPassword } from '../../auth/passwords.js';
import { searchTermsFor, writeOf } from '../../customers/backends/db/backend.js';
import { parseCustomerUserWrite } from '../../customers/customer-user-input.js';
import { conflict, ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { reload } from './target-user.js';

const input = z.strictObject({
  login: z.string().trim().min(1).max(191),
  email: z.string().trim().min(3).max(191),
  firstName: z.string().trim().max(100).default(''),
  lastName: z.string().trim().max(100).default(''),
  /** Where the user goes; must be the target customer (a key user's form) unless the requester is an agent's admin form. */
  customerId: z.string().trim().min(1).max(150),
});

/**
 * A new database customer user (no password they know: a send-password-link after it lets them choose
 * one). Created only in the run's target customer, so a key user's form never reaches another tenant.
 */
export const createCustomerUser = defineAction({
  type: 'create-customer-user',
  input,
  describe: (i) => `Create customer user ${i.login} <${i.email}> in ${i.customerId}.`,
  async execute(ctx, i, ports) {
    if (ctx.targetCustomerId !== null && ctx.targetCustomerId !== i.customerId) {
      throw ruleViolation(`customerId: ${i.customerId} is not the customer this run acts on.`, 'customerId', 'out_of_scope');
    }
    const { fields, relations } = parseCustomerUserWrite(ctx.map, { login: i.login, email: i.email, customerId: i.customerId, firstName: i.firstName, lastName: i.lastName }, { partial: false });
    const { rules, store } = ports.users;
    await rules.assertFree(fields, null, ctx.tx);
    if (await ports.agentLoginTaken(fields.login as string, ctx.tx)) throw conflict('This login is already in use.', 'login', 'duplicate');
    const manager = await rules.checkRelations(fields, relations, null, ctx.tx);
    const id = await store.insert(
      fields.login as string,
      { ...writeOf(ctx.map, fields), ...rules.relationWrite(relations, manager), emailUnique: ports.emailUnique ? (fields.email as string) : null, passwordHash: await hashPassword(generatePassword()) },
      searchTermsFor(ctx.map, fields),
      ctx.tx,
    );
    await rules.applyLinks(id, relations, fields.customerId as string, [], ctx.tx);
    const created = await reload(ctx, ports, id);
    ctx.created.set(created.login, created);
    await ports.audit.record(ctx.subject, { action: 'customer-user.create', objectType: 'customer-user', objectId: created.login, after: { ...created.fields, validity: created.validity, formRun: ctx.runId } }, ctx.tx);
    return `Customer user ${created.login} exists in ${created.customerId}.`;
  },
});
