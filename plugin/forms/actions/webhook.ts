import { z } from 'zod';
import { defineAction } from './types.js';

const input = z.strictObject({ url: z.string().trim().url().max(2000), event: z.string().trim().max(100).default('form-run') });

/**
 * Tells an external system, inside the run's transaction: a target that is down rolls Loket back too,
 * so nothing is half-applied. The body carries the run, the target and the values.
 */
export const webhook = defineAction({
  type: 'webhook',
  input,
  describe: (i) => `Notify ${new URL(i.url).host} (signed webhook, event ${i.event}).`,
  async execute(ctx, i, ports) {
    const body = JSON.stringify({
      event: i.event,
      run: ctx.runId,
      form: ctx.formKey,
      requester: ctx.requester.login,
      target: ctx.target ? { login: ctx.target.login, customerId: ctx.target.customerId } : ctx.targetCustomerId ? { customerId: ctx.targetCustomerId } : null,
      values: ctx.values,
    });
    const { status, attempts } = await ports.webhook.deliver({ url: i.url, body, runId: ctx.runId });
    return `${new URL(i.url).host} answered ${status} (attempt ${attempts}).`;
  },
});
