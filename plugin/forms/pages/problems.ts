import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';

/**
 * Refusals the forms pages show on themselves, with the input kept: bad input (400), out of scope or
 * self-approval (403), conflicts (409: a stale version, a reused key, a changed payload, a decided
 * approval) and rules (422: a failed check, nobody to approve). 404 and anything else go to the error page.
 */
export function formsRefusal(err: unknown): LoketError | null {
  return err instanceof LoketError && [400, 403, 409, 413, 422].includes(err.status) && err.code !== 'csrf_invalid' ? err : null;
}

/** Codes with a text of their own; anything else shows the engine's words (they name the check or field). */
const CODE_TEXTS: Record<string, string> = {
  out_of_scope: 'forms.errors.outOfScope',
  forbidden: 'forms.errors.forbidden',
  no_approver: 'forms.errors.noApprover',
  idempotency_key_reused: 'forms.errors.resubmitted',
  edit_conflict: 'forms.errors.editConflict',
  payload_changed: 'forms.errors.payloadChanged',
  self_approval: 'forms.errors.selfApproval',
  already_decided: 'forms.errors.alreadyDecided',
  not_yet: 'forms.errors.notYet',
  expired: 'forms.errors.expired',
};

export const describeFormsError = (err: LoketError, t: Translate): string => {
  const key = CODE_TEXTS[err.code];
  return key === undefined ? err.message : t(key);
};

/** The form field a refusal names: `values.x`, `x` or `fields.x` all mean the field x. */
export function refusedField(err: LoketError, fieldKeys: readonly string[]): string | null {
  const named = err.field?.replace(/^(values|fields)\./, '').replace(/\..*$/, '') ?? null;
  if (named === null) return null;
  if (named === 'target') return 'target';
  return fieldKeys.includes(named) ? named : null;
}

/** The refusal as the summary at the top shows it, linking to the control it is about. */
export function formsProblem(err: LoketError, t: Translate, field: string | null, targetId: string | null): FormProblem {
  return { field, target: targetId, message: describeFormsError(err, t) };
}
