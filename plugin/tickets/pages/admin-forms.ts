import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { formText } from '../../customers/pages/form-values.js';
import type { LoketError } from '../../errors.js';
import { noticeCodes } from '../../web/notices.js';
import type { Queue } from '../queue-store.js';

/**
 * The queue form as a browser sends it. Each value must be one string (an array is a 400); the
 * service's own schema checks lengths and names afterwards, so the rules live in one place.
 */
export const queueForm = z.object({
  name: formText(1000).default(''),
  group: formText(1000).default(''),
  comment: formText(20_000).default(''),
  validity: z.enum(VALIDITIES).default('valid'),
  version: z.string().regex(/^\d{1,12}$/).transform(Number).optional(),
});
export type QueueForm = z.output<typeof queueForm>;

export const emptyQueueForm = (): QueueForm => queueForm.parse({});
export const queueFormOf = (q: Queue): QueueForm => ({ name: q.name, group: q.group, comment: q.comment, validity: q.validity, version: q.version });

/** The ids of the queue form's controls, by the field names the services use. */
const QUEUE_TARGETS: Record<string, string> = { name: 'q-name', group: 'q-group', comment: 'q-comment', validity: 'q-validity', version: 'q-name' };

/** A refusal of the queue form in the reader's language, pointing at its control. */
export function queueProblem(err: LoketError, t: Translate): FormProblem {
  const field = err.field ?? null;
  return { field, target: field === null ? null : (QUEUE_TARGETS[field] ?? null), message: describeQueueRefusal(err, t) };
}

function describeQueueRefusal(err: LoketError, t: Translate): string {
  switch (err.code) {
    case 'duplicate':
      return t('ticketsAdmin.queues.errors.duplicate');
    case 'edit_conflict':
      return t('formErrors.editConflict');
    case 'unknown_group':
      return t('ticketsAdmin.queues.errors.unknownGroup');
    case 'validation_failed':
      if (err.field === 'name') return t('ticketsAdmin.queues.errors.name');
      if (err.field === 'group') return t('ticketsAdmin.queues.errors.group');
      if (err.field === 'comment') return t('ticketsAdmin.queues.errors.comment');
      if (err.field === 'validity') return t('formErrors.choose');
      if (err.field === 'version') return t('formErrors.editConflict');
      return err.message;
    default:
      return err.message;
  }
}

/** Messages after a redirect on the queue and agents'-groups pages. */
const notices = noticeCodes({
  created: 'ticketsAdmin.notices.queueCreated',
  saved: 'ticketsAdmin.notices.queueSaved',
  groupsSaved: 'ticketsAdmin.notices.groupsSaved',
});
export const ticketAdminNoticeFrom = notices.from;
export const withTicketAdminNotice = notices.path;
