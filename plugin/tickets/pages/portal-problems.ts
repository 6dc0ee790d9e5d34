import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';

/** The forms on the portal's ticket pages; a problem's field is `<form>:<field>`, so two forms never share a message. */
export type PortalForm = 'new' | 'reply' | 'state';

/**
 * Refusals a form shows on itself, with the person's input kept: bad input (400), a stale ticket (409),
 * a description too long (413) or a rule (422); the new-ticket form also shows 403 (a queue the person
 * may not file in). Anything else (404 above all) is not about the input and goes to the error page.
 */
export function portalRefusal(err: unknown, form: PortalForm): LoketError | null {
  if (!(err instanceof LoketError)) return null;
  if ([400, 409, 413, 422].includes(err.status)) return err;
  return form === 'new' && err.status === 403 ? err : null;
}

/** Ids of the controls, by form and the service's field names. */
const TARGETS: Record<PortalForm, Record<string, string>> = {
  new: { title: 'tp-title', body: 'tp-body', queue: 'tp-queue', service: 'tp-service', priority: 'tp-priority' },
  reply: { body: 'tp-reply-body' },
  state: { state: 'tp-state-buttons' },
};

const FIELD_TEXTS = new Set(['title', 'body', 'queue', 'service', 'priority', 'state']);

const CODE_TEXTS: Record<string, string> = {
  unknown_queue: 'ticketsPortal.errors.unknownQueue',
  forbidden: 'ticketsPortal.errors.queueForbidden',
  service_not_entitled: 'ticketsPortal.errors.serviceNotEntitled',
  payload_too_large: 'ticketsPortal.errors.tooLarge',
  edit_conflict: 'ticketsPortal.errors.editConflict',
  state_not_allowed: 'ticketsPortal.errors.stateNotAllowed',
  idempotency_key_reused: 'ticketsPortal.errors.resubmitted',
  unknown_article: 'ticketsPortal.errors.unknownArticle',
};

/** The field a refusal is about: the one the service names, or the one its code implies. */
function fieldOf(err: LoketError, form: PortalForm): string | null {
  // `faqArticleIds.2` is the list as a whole.
  const named = err.field?.replace(/\.\d+$/, '');
  if (named) return named;
  if (form === 'state') return 'state';
  if (err.code === 'payload_too_large') return 'body';
  return form === 'new' && err.code === 'forbidden' ? 'queue' : null;
}

/** The refusal in the reader's language, pointing at the control it is about. */
export function portalProblem(err: LoketError, t: Translate, form: PortalForm): FormProblem {
  const field = fieldOf(err, form);
  const target = field === null ? null : (TARGETS[form][field] ?? null);
  return { field: field === null ? null : `${form}:${field}`, target, message: describe(err, field, t) };
}

function describe(err: LoketError, field: string | null, t: Translate): string {
  if (err.code === 'validation_failed') return field !== null && FIELD_TEXTS.has(field) ? t(`ticketsPortal.errors.fields.${field}`) : t('ticketsPortal.errors.invalid');
  const key = CODE_TEXTS[err.code];
  return key === undefined ? err.message : t(key);
}
