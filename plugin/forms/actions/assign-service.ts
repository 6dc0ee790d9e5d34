import { z } from 'zod';
import { ruleViolation } from '../../errors.js';
import { defineAction } from './types.js';
import { subjectUser } from './target-user.js';

const input = z.strictObject({ service: z.string().trim().min(1).max(191), login: z.string().max(191).optional() });

/** Assigns a service to the user; the assignment remembers the run (effective permissions: "via form run N"). */
export const assignService = defineAction({
  type: 'assign-service',
  input,
  describe: (i) => `Assign service ${i.service}${i.login ? ` to ${i.login}` : ' to the target'}.`,
  async execute(ctx, i, ports) {
    const user = await subjectUser(ctx, ports, i.login);
    const [service] = await ports.catalogue.services.findManyByName([i.service], ctx.tx);
    if (service?.validity !== 'valid') throw ruleViolation(`service: there is no valid service ${i.service}.`, 'service', 'unknown_service');
    const before = await ports.catalogue.assignedTo({ kind: 'customer-user', id: user.id }, ctx.tx);
    await ports.runs.assignService(user.id, service.id, ctx.runId, ctx.tx);
    await ports.audit.record(ctx.subject, { action: 'customer-user.services', objectType: 'customer-user', objectId: user.login, before: { services: before }, after: { services: [...new Set([...before, service.name])], formRun: ctx.runId } }, ctx.tx);
    return `${user.login} has service ${service.name}.`;
  },
});
