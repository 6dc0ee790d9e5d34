import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { formText } from '../../customers/pages/form-values.js';
import { notFound } from '../../errors.js';
import { idempotencyKeySchema, TICKET_STATES, type TicketPriority } from '../schema.js';

/**
 * Query strings and form bodies of the portal's ticket pages, parsed at the edge. Each value must be one
 * string (a repeated name where one belongs is a 400); what the values mean is the ticket service's to
 * check, so its refusals name the service's fields and the page shows them there.
 */

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
/** A page number in a link is a hint: anything malformed shows the first page rather than an error. */
const pageNumber = z.coerce.number().int().min(1).max(500).catch(1);

/** Customers see their whole history by default; `active` narrows to what is still being worked on. */
export const PORTAL_LIST_STATES = ['all', 'active', ...TICKET_STATES] as const;
export type PortalListState = (typeof PORTAL_LIST_STATES)[number];

export const portalListQuery = z.object({
  scope: z.enum(['mine', 'company']).catch('mine'),
  state: z.enum(PORTAL_LIST_STATES).catch('all'),
  // Longer is cut, not refused; blank is no search at all.
  search: z
    .preprocess(blankToUndefined, z.string().optional())
    .catch(undefined)
    .transform((s) => s?.trim().slice(0, 200))
    .transform((s) => (s === '' ? undefined : s)),
  page: pageNumber,
});
export type PortalListQuery = z.output<typeof portalListQuery>;

/** The ticket number in a path; anything that cannot be one names no ticket (404, like an unknown number). */
export function portalTicketNumber(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{1,32}$/.test(value)) throw notFound('No such ticket.');
  return value;
}

/** An FAQ article id in a path: anything else is no article (404), as an article one may not read is. */
export function articleIdOf(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) throw notFound('No such FAQ article.');
  return Number(value);
}

/** Urgent is the service desk's call, not the customer's: the portal offers the other three. */
export const PORTAL_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high'];

export const portalTicketForm = z.object({
  title: formText(1000).default(''),
  body: formText(200_000).default(''),
  queue: formText(191).trim().default(''),
  service: formText(191).trim().default(''),
  priority: formText(20).default('normal'),
  idempotencyKey: formText(191).default(''),
  /** '1' once the person has seen FAQ suggestions (live, or on the check step). */
  checked: formText(5).default(''),
  _csrf: formText(200).optional(),
});
export type PortalTicketForm = z.output<typeof portalTicketForm>;

/** 32 hex digits: one per rendered form, so a double submit or a browser retry files one ticket. */
export const freshIdempotencyKey = (): string => randomBytes(16).toString('hex');

/** The form's key when it is one we could have issued; a tampered value gets a new one. */
export const keptIdempotencyKey = (value: string): string => (idempotencyKeySchema.safeParse(value).success ? value.trim() : freshIdempotencyKey());

export const emptyTicketForm = (): PortalTicketForm => ({ title: '', body: '', queue: '', service: '', priority: 'normal', idempotencyKey: freshIdempotencyKey(), checked: '' });

/** The service's input: an empty service is "no particular service", left out. */
export function ticketInput(form: PortalTicketForm, faqArticleIds: readonly number[]): Record<string, unknown> {
  return {
    title: form.title,
    body: form.body,
    queue: form.queue,
    ...(form.service !== '' && { service: form.service }),
    priority: form.priority,
    ...(faqArticleIds.length > 0 && { faqArticleIds: [...faqArticleIds] }),
  };
}

/** The words that found a suggestion travel along; longer is cut, not refused (it is only a record). */
const queryWords = z.string().catch('').transform((q) => q.trim().slice(0, 200));

export const faqOpenQuery = z.object({ q: queryWords });

export const deflectForm = z.object({
  articleId: formText(12).regex(/^[1-9]\d{0,8}$/, 'expected an article id').transform(Number),
  q: formText(1000).default('').transform((q) => q.trim().slice(0, 200)),
  _csrf: formText(200).optional(),
});

export const replyForm = z.object({ body: formText(200_000).default(''), _csrf: formText(200).optional() });

export const stateForm = z.object({ state: formText(20).default(''), _csrf: formText(200).optional() });

export const emptyForm = z.object({ _csrf: formText(200).optional() });
