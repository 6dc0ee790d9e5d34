import type { z } from 'zod';
import type { Actor } from '../access/actor.js';
import type { GroupStore } from '../access/groups/store.js';
import { can, hasGroupPermission, requireCapability } from '../access/policy.js';
import { mayFileIn, type QueueFacts } from '../access/ticket-access.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { notFound, ruleViolation } from '../errors.js';
import type { Queue, QueueStore } from './queue-store.js';
import type { queueCreateSchema, queuePatchSchema } from './schema.js';

export const queueFacts = (q: Queue): QueueFacts => ({ id: q.id, group: q.group, valid: q.validity === 'valid' && q.groupValid });

/** Queues: where tickets wait, each bound to a group that decides who sees, files and works there. */
export function createQueueService(deps: { store: QueueStore; groups: GroupStore; audit: AuditService; transaction: RunInTransaction }) {
  async function groupId(name: string): Promise<number> {
    const group = await deps.groups.groups.findByName(name);
    if (!group) throw ruleViolation(`There is no group ${name}.`, 'group', 'unknown_group');
    return group.id;
  }

  return {
    all: () => deps.store.all(),

    /** What a person may see in lists: admins every queue; agents those they hold `ro` in; customers those they may file in. */
    async visibleTo(actor: Actor): Promise<Queue[]> {
      const queues = await deps.store.all();
      if (actor.roles.includes('admin')) return queues;
      if (can(actor, 'agent.use')) return queues.filter((q) => hasGroupPermission(actor, q.group, 'ro'));
      return queues.filter((q) => mayFileIn(actor, queueFacts(q)));
    },

    async create(actor: Actor, input: z.output<typeof queueCreateSchema>, subject: AuditSubject): Promise<Queue> {
      requireCapability(actor, 'queue.manage');
      const id = await groupId(input.group);
      return deps.transaction(async (tx) => {
        await deps.store.insert({ name: input.name, groupId: id, comment: input.comment, validity: input.validity }, tx);
        const created = await deps.store.findByName(input.name, tx);
        if (!created) throw new Error('queue vanished after insert');
        await deps.audit.record(subject, { action: 'queue.create', objectType: 'queue', objectId: created.name, after: input }, tx);
        return created;
      });
    },

    async update(actor: Actor, name: string, patch: z.output<typeof queuePatchSchema>, subject: AuditSubject): Promise<Queue> {
      requireCapability(actor, 'queue.manage');
      const queue = await deps.store.findByName(name);
      if (!queue) throw notFound(`No queue ${name}.`);
      const { version, group, ...rest } = patch;
      const newGroupId = group === undefined ? undefined : await groupId(group);
      return deps.transaction(async (tx) => {
        await deps.store.update(queue.id, { ...rest, ...(newGroupId !== undefined && { groupId: newGroupId }) }, version, tx);
        const updated = await deps.store.findByName(rest.name ?? queue.name, tx);
        if (!updated) throw new Error('queue vanished after update');
        await deps.audit.record(subject, { action: 'queue.update', objectType: 'queue', objectId: updated.name, before: queue, after: updated }, tx);
        return updated;
      });
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;
