import type { ActionType } from '../definition.js';
import { assignService } from './assign-service.js';
import { createCustomerUser } from './create-customer-user.js';
import { createTicket } from './create-ticket.js';
import { grantGroup } from './grant-group.js';
import { linkCustomer, unlinkCustomer } from './link-customer.js';
import { revokeGroup } from './revoke-group.js';
import { sendEmail } from './send-email.js';
import { sendPasswordLink } from './send-password-link.js';
import { setValidity } from './set-validity.js';
import type { ActionContext, ActionModule, ActionPorts } from './types.js';
import { unassignService } from './unassign-service.js';
import { updateFields } from './update-fields.js';
import { webhook } from './webhook.js';

export type { ActionContext, ActionPorts } from './types.js';

/** An action with its input checked: what it will do, and the way to do it. */
export interface PreparedAction {
  type: ActionType;
  description: string;
  run(ctx: ActionContext, ports: ActionPorts): Promise<string>;
}

function prepared<I>(module: ActionModule<I>, raw: Record<string, unknown>): PreparedAction {
  const parsed = module.input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`${module.type}: ${issue?.path.length ? issue.path.join('.') : 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  return { type: module.type, description: module.describe(input), run: (ctx, ports) => module.execute(ctx, input, ports) };
}

const MODULES: Record<ActionType, (raw: Record<string, unknown>) => PreparedAction> = {
  'create-customer-user': (raw) => prepared(createCustomerUser, raw),
  'update-fields': (raw) => prepared(updateFields, raw),
  'set-validity': (raw) => prepared(setValidity, raw),
  'send-password-link': (raw) => prepared(sendPasswordLink, raw),
  'link-customer': (raw) => prepared(linkCustomer, raw),
  'unlink-customer': (raw) => prepared(unlinkCustomer, raw),
  'grant-group': (raw) => prepared(grantGroup, raw),
  'revoke-group': (raw) => prepared(revokeGroup, raw),
  'assign-service': (raw) => prepared(assignService, raw),
  'unassign-service': (raw) => prepared(unassignService, raw),
  'create-ticket': (raw) => prepared(createTicket, raw),
  'send-email': (raw) => prepared(sendEmail, raw),
  webhook: (raw) => prepared(webhook, raw),
};

/** Parses an action's resolved input; a TypeError names the action and the input that does not fit. */
export const prepareAction = (type: ActionType, raw: Record<string, unknown>): PreparedAction => MODULES[type](raw);
