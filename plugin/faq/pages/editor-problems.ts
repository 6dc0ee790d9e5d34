import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';

/**
 * Refusals an editor form shows on itself, with the person's input kept: bad input (400), a step the
 * service refuses this person (403: approving one's own article), a stale version (409), a body too
 * large (413) or a rule (422). Anything else is not about the input and goes to the error page.
 */
export function editorRefusal(err: unknown): LoketError | null {
  return err instanceof LoketError && [400, 403, 409, 413, 422].includes(err.status) ? err : null;
}

/** Ids of the controls on the article form, by the service's field names. */
export const ARTICLE_TARGETS: Record<string, string> = {
  slug: 'fe-slug',
  language: 'fe-language',
  title: 'fe-title',
  summary: 'fe-summary',
  keywords: 'fe-keywords',
  category: 'fe-category',
  visibility: 'fe-visibility',
  customers: 'fe-customers',
  services: 'fe-services',
  body: 'fe-body',
  note: 'fe-note',
  comment: 'fe-reject-comment',
};

export const CATEGORY_TARGETS: Record<string, string> = {
  slug: 'fc-slug',
  name: 'fc-name',
  parent: 'fc-parent',
  group: 'fc-group',
  position: 'fc-position',
  validity: 'fc-validity',
};

/** Fields whose refusal has a text of its own (the service's words are English and technical). */
const FIELD_TEXTS = new Set(['slug', 'language', 'title', 'summary', 'keywords', 'category', 'visibility', 'customers', 'services', 'body', 'note', 'comment', 'name', 'parent', 'group', 'position', 'validity']);

const CODE_TEXTS: Record<string, string> = {
  version_conflict: 'faqEditor.errors.versionConflict',
  state_conflict: 'faqEditor.errors.stateConflict',
  invalid_transition: 'faqEditor.errors.invalidTransition',
  unknown_category: 'faqEditor.errors.unknownCategory',
  unknown_customer: 'faqEditor.errors.unknownCustomer',
  unknown_service: 'faqEditor.errors.unknownService',
  unknown_group: 'faqEditor.errors.unknownGroup',
  category_cycle: 'faqEditor.errors.categoryCycle',
  too_deep: 'faqEditor.errors.tooDeep',
  too_large: 'faqEditor.errors.tooLarge',
  too_complex: 'faqEditor.errors.tooComplex',
};

/** What the form was doing: a review decision's 403 is the independent-approver rule. */
export type EditorForm = 'article' | 'decision' | 'category';

/** The refusal in the reader's language, pointing at the control it is about. */
export function editorProblem(err: LoketError, t: Translate, what: EditorForm, targets: Record<string, string>): FormProblem {
  // `keywords.3`, `customers.0`: the list as a whole is the control.
  const field = err.field?.replace(/\.\d+$/, '') ?? null;
  return { field, target: field === null ? null : (targets[field] ?? null), message: describe(err, field, t, what) };
}

function describe(err: LoketError, field: string | null, t: Translate, what: EditorForm): string {
  if (err.code === 'duplicate') return what === 'category' ? t('faqEditor.errors.duplicateCategory') : t('faqEditor.errors.duplicateSlug');
  if (err.code === 'validation_failed') {
    if (field === null || !FIELD_TEXTS.has(field)) return err.message;
    // A category's slug has reserved words besides the pattern.
    return t(`faqEditor.errors.fields.${what === 'category' && field === 'slug' ? 'categorySlug' : field}`);
  }
  if (err.code === 'forbidden') return what === 'decision' ? t('faqEditor.errors.independentApprover') : err.message;
  // An approval is bound to the version read: a newer one is not a lost edit but something unread.
  if (err.code === 'version_conflict' && what === 'decision') return t('faqEditor.errors.changedSinceRead');
  if (err.code === 'version_conflict' && what === 'category') return t('formErrors.editConflict');
  const key = CODE_TEXTS[err.code];
  return key === undefined ? err.message : t(key);
}
