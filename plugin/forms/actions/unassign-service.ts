import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ service: z.string().trim().min(1).max(191), login: z.string().max(191).optional() });

/** Removes the user's own assignment of a service (assignments via customers, groups or defaults stay). */
export const unassignService = defineAction({
  type: 'unassign-service',
  input,
  describe: (i) => `Remove service ${i.service}${i.login ? ` from ${i.login}` : ' from the target'}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    const [service] = await ports.catalogue.services.findManyByName([i.service], ctx.tx);
    if (!service) throw ruleViolation(`service: there is no service ${i.service}.`, 'service', 'unknown_service');
    const before = await ports.catalogue.assignedTo({ kind: 'customer-user', id: user.id }, ctx.tx);
    await ports.runs.unassignService(user.id, service.id, ctx.tx);
    await ports.audit.record(ctx.subject, { action: 'customer-user.services', objectType: 'customer-user', objectId: user.login, before: { services: before }, after: { services: before.filter((s) => s !== service.name), formRun: ctx.runId } }, ctx.tx);
    return `${user.login} no longer has service ${service.name} directly.`;
  },
});
