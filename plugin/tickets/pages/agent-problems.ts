import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';

/** The forms on the agents' ticket screens; a problem's field is `<form>:<field>`, so two forms never share a message. */
export type AgentForm = 'new' | 'reply' | 'state' | 'draft';

/**
 * Refusals a form shows on itself, with the person's input kept: bad input (400), a stale ticket (409),
 * a body too large (413) or a rule (422); the new-ticket form also shows 403 (a queue the agent may not
 * file in). Anything else (403 without rw, 404) is not about the input and goes to the error page.
 */
export function agentRefusal(err: unknown, form: AgentForm): LoketError | null {
  if (!(err instanceof LoketError)) return null;
  if ([400, 409, 413, 422].includes(err.status)) return err;
  return form === 'new' && err.status === 403 ? err : null;
}

/** Ids of the controls, by form and the service's field names. */
const TARGETS: Record<AgentForm, Record<string, string>> = {
  new: { customerUser: 'at-new-customer-user', queue: 'at-new-queue', service: 'at-new-service', priority: 'at-new-priority', title: 'at-new-title', body: 'at-new-body' },
  reply: { body: 'at-reply-body', internal: 'at-reply-internal', articleIds: 'at-faq-results' },
  state: { state: 'at-state' },
  draft: { category: 'at-draft-category', language: 'at-draft-language' },
};

/** Fields whose refusal has a text of its own (the service's words are English and technical). */
const FIELD_TEXTS = new Set(['customerUser', 'queue', 'service', 'priority', 'title', 'body', 'state', 'articleIds', 'category', 'language']);

const CODE_TEXTS: Record<string, string> = {
  unknown_customer_user: 'ticketsAgent.errors.unknownUser',
  customer_user_required: 'ticketsAgent.errors.fields.customerUser',
  customer_user_invalid: 'ticketsAgent.errors.invalidUser',
  service_not_entitled: 'ticketsAgent.errors.serviceNotEntitled',
  unknown_queue: 'ticketsAgent.errors.unknownQueue',
  forbidden: 'ticketsAgent.errors.queueForbidden',
  payload_too_large: 'ticketsAgent.errors.tooLarge',
  too_large: 'ticketsAgent.errors.tooLarge',
  too_complex: 'ticketsAgent.errors.tooComplex',
  edit_conflict: 'ticketsAgent.errors.editConflict',
  state_not_allowed: 'ticketsAgent.errors.stateNotAllowed',
  unknown_article: 'ticketsAgent.errors.unknownArticle',
  no_articles: 'ticketsAgent.errors.noArticles',
  idempotency_key_reused: 'ticketsAgent.errors.resubmitted',
  unknown_category: 'ticketsAgent.errors.unknownCategory',
  duplicate: 'ticketsAgent.errors.duplicateDraft',
};

/** The refusal in the reader's language, pointing at the control it is about. */
export function agentProblem(err: LoketError, t: Translate, form: AgentForm): FormProblem {
  // `faqArticleIds.2` is the list of ticked articles as a whole.
  const raw = err.field?.replace(/\.\d+$/, '') ?? null;
  const field = raw === 'faqArticleIds' ? 'articleIds' : raw;
  const target = field === null ? null : (TARGETS[form][field] ?? null);
  return { field: field === null ? null : `${form}:${field}`, target, message: describe(err, field, t) };
}

function describe(err: LoketError, field: string | null, t: Translate): string {
  if (err.code === 'validation_failed') return field !== null && FIELD_TEXTS.has(field) ? t(`ticketsAgent.errors.fields.${field}`) : err.message;
  const key = CODE_TEXTS[err.code];
  return key === undefined ? err.message : t(key);
}

/** A problem the page finds itself (nothing ticked), in the same shape. */
export const localProblem = (form: AgentForm, field: string, message: string): FormProblem => ({ field: `${form}:${field}`, target: TARGETS[form][field] ?? null, message });
