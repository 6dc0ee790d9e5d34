import { z } from 'zod';
import { asList, formText } from '../../customers/pages/form-values.js';
import { notFound } from '../../errors.js';
import { TICKET_PRIORITIES, TICKET_STATES } from '../schema.js';

/**
 * Query strings and form bodies of the agents' ticket screens, parsed at the edge. Each value must be one
 * string (a repeated name where one belongs is a 400); what the values mean is the ticket service's to
 * check, so a refusal names the service's field and the page shows it there.
 */

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, formText(max).trim().optional());
/** A page number in a link is a hint: anything malformed shows the first page rather than an error. */
const pageNumber = z.coerce.number().int().min(1).max(500).catch(1);

/** `all` lifts the state filter; no value means the active ones (what an agent works on). */
export const LIST_STATES = ['active', 'all', ...TICKET_STATES] as const;
export type ListState = (typeof LIST_STATES)[number];

export const listQuery = z.object({
  state: z.preprocess(blankToUndefined, formText(20).optional()).transform((s): ListState => ((LIST_STATES as readonly string[]).includes(s ?? '') ? (s as ListState) : 'active')),
  queue: optionalText(191),
  customerId: optionalText(150),
  customerUser: optionalText(191),
  service: optionalText(191),
  search: optionalText(200),
  page: pageNumber,
});
export type ListQuery = z.output<typeof listQuery>;

/** The ticket number in a path; anything that cannot be one names no ticket (404, like an unknown number). */
export function ticketNumberOf(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{1,32}$/.test(value)) throw notFound('No such ticket.');
  return value;
}

export const newTicketForm = z.object({
  customerUser: formText(191).trim().default(''),
  queue: formText(191).trim().default(''),
  service: formText(191).trim().default(''),
  priority: formText(20).default('normal'),
  title: formText(1000).default(''),
  body: formText(200_000).default(''),
  idempotencyKey: formText(191).default(''),
  _csrf: formText(200).optional(),
});
export type NewTicketForm = z.output<typeof newTicketForm>;

export const emptyNewTicketForm = (): NewTicketForm => ({ customerUser: '', queue: '', service: '', priority: 'normal', title: '', body: '', idempotencyKey: '' });

/** The service's input: empty optional fields are left out, an unknown priority is the service's to refuse. */
export function newTicketInput(form: NewTicketForm): Record<string, unknown> {
  return {
    title: form.title,
    body: form.body,
    queue: form.queue,
    ...(form.customerUser !== '' && { customerUser: form.customerUser }),
    ...(form.service !== '' && { service: form.service }),
    priority: form.priority,
  };
}

export const PRIORITIES = TICKET_PRIORITIES;

/** Ticked FAQ articles: absent, one id or several; anything that is not an id is a 400. */
const articleIds = z
  .union([formText(20), z.array(formText(20)).max(20)])
  .optional()
  .transform(asList)
  .pipe(z.array(z.string().regex(/^\d{1,12}$/, 'expected article ids').transform(Number)));

/** The search words travel with the reply form, so a refused reply shows the same results again. */
const faqWords = formText(200).default('').transform((q) => q.trim());

export const replyForm = z.object({
  body: formText(200_000).default(''),
  internal: z.enum(['yes']).optional(),
  articleIds,
  faq: faqWords,
  _csrf: formText(200).optional(),
});

export const faqLinksForm = z.object({ articleIds, faq: faqWords, body: formText(200_000).default(''), internal: z.enum(['yes']).optional(), _csrf: formText(200).optional() });

export const stateForm = z.object({ state: formText(20).default(''), _csrf: formText(200).optional() });

export const faqDraftForm = z.object({ category: formText(200).default(''), language: formText(10).default(''), _csrf: formText(200).optional() });

/** `?faq=<words>` on the ticket page: longer queries are cut, not refused (a pasted paragraph still finds something). */
export const ticketPageQuery = z.object({
  faq: z.string().catch('').transform((q) => q.trim().slice(0, 200)),
});
