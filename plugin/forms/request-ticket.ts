import { createHash } from 'node:crypto';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import { ruleViolation } from '../errors.js';
import type { Queue } from '../tickets/queue-store.js';
import type { TicketSystem } from '../tickets/ticket-system.js';
import { localise, type FormDefinition } from './definition.js';
import type { RunRecord, RunStore } from './run-store.js';
import type { PreparedAction } from './actions/index.js';

export interface RequestTicketDeps {
  tickets: TicketSystem;
  queues: { all(): Promise<Queue[]> };
  runs: RunStore;
}

const SYSTEM = { authorKind: 'system' as const, author: 'system', authorName: 'Loket', internal: false, delegationId: null };

const show = (value: string | boolean | null): string => (value === null ? '—' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value);

/** The payload as people read it: form, requester, target, each field with its label, and the planned actions. */
export function readablePayload(run: Pick<RunRecord, 'id' | 'requester' | 'target' | 'values'>, form: FormDefinition, actions: readonly Pick<PreparedAction, 'description'>[]): string {
  const lines = [`Request ${run.id}: ${localise(form.title, 'en')}`, `Requested by: ${run.requester.name} (${run.requester.login})`];
  if (run.target) lines.push(`For: ${run.target.name} (${run.target.kind === 'customer-user' ? run.target.login : run.target.customerId})`);
  if (form.fields.length) {
    lines.push('', 'Values:');
    for (const field of form.fields) lines.push(`- ${localise(field.label, 'en')}: ${show(run.values[field.key] ?? null)}`);
  }
  if (actions.length) {
    lines.push('', 'What happens:');
    actions.forEach((a, i) => lines.push(`${i + 1}. ${a.description}`));
  }
  lines.push('', form.approval ? `Approval: ${form.approval.steps.length} step(s).` : 'No approval needed.');
  return lines.join('\n');
}

/**
 * The request ticket every run leaves: type request, in the form's queue, for the target user (or the
 * requesting customer user). Its own idempotency key `form-run:<id>` makes a retry answer the same
 * ticket. Requester and approvers become participants and see it; progress is added as public messages.
 */
export function createRequestTickets(deps: RequestTicketDeps) {
  return {
    /** Before a run is recorded: its request ticket must have somewhere to go. */
    async checkQueue(form: FormDefinition): Promise<void> {
      if (!(await deps.queues.all()).some((q) => q.name.toLowerCase() === form.ticket.queue.toLowerCase())) {
        throw ruleViolation(`ticket.queue: there is no queue ${form.ticket.queue}.`, 'ticket.queue', 'unknown_queue');
      }
    },

    async open(run: RunRecord, form: FormDefinition, owner: CustomerUserRecord | null, body: string, participants: readonly string[]): Promise<{ ticketId: number; number: string } | null> {
      if (!owner) return null;
      const queue = (await deps.queues.all()).find((q) => q.name.toLowerCase() === form.ticket.queue.toLowerCase());
      if (!queue) throw ruleViolation(`ticket.queue: there is no queue ${form.ticket.queue}.`, 'ticket.queue', 'unknown_queue');
      const title = `${localise(form.title, 'en')}${run.target ? `: ${run.target.name}` : ''}`.slice(0, 200);
      const key = `form-run:${run.id}`;
      const { ticket } = await deps.tickets.create(
        {
          title,
          queueId: queue.id,
          serviceId: null,
          priority: form.ticket.priority,
          type: 'request',
          customerUserId: owner.id,
          customerUserLogin: owner.login,
          customerId: owner.customerId,
          createdBy: `${run.requester.kind}:${run.requester.id}`,
          createdByName: run.requester.name,
          delegationId: run.delegationId,
          customerSnapshot: { login: owner.login, email: owner.email, customerId: owner.customerId, fields: [] },
          firstMessage: { ...SYSTEM, body },
          faqArticleIds: [],
        },
        { owner: 'form-run', key, requestHash: createHash('sha256').update(key).digest('hex') },
      );
      await deps.runs.addParticipants(ticket.id, participants.map((principal, i) => ({ principal, role: i === 0 ? 'requester' : 'approver' })));
      return { ticketId: ticket.id, number: ticket.number };
    },

    /** A line of the run's story on its ticket (no ticket: nothing to tell). */
    async progress(ticketId: number | null, body: string): Promise<void> {
      if (ticketId === null) return;
      await deps.tickets.addMessage(ticketId, { ...SYSTEM, body });
    },

    addParticipants: (ticketId: number, principals: readonly string[]) => deps.runs.addParticipants(ticketId, principals.map((principal) => ({ principal, role: 'approver' as const }))),
  };
}

export type RequestTickets = ReturnType<typeof createRequestTickets>;
