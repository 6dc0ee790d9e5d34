import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';

/**
 * Refusals the delegation forms show on themselves with the input kept: bad input (400), conflicts (409)
 * and rules (422); `with403` adds plain 403s about the input (a deputy for someone out of reach). A
 * delegated session (403 delegated_session), 404 and the rest go to the error page.
 */
export function delegationRefusal(err: unknown, with403 = false): LoketError | null {
  if (!(err instanceof LoketError)) return null;
  if ([400, 409, 422].includes(err.status) && err.code !== 'csrf_invalid') return err;
  return with403 && err.status === 403 && err.code === 'forbidden' ? err : null;
}

const CODE_TEXTS: Record<string, string> = {
  end_missing: 'delegation.errors.endMissing',
  in_past: 'delegation.errors.inPast',
  duplicate: 'delegation.errors.duplicate',
  already_member: 'delegation.errors.alreadyMember',
  version_conflict: 'delegation.errors.versionConflict',
  revoked: 'delegation.errors.revoked',
  unknown_user: 'delegation.errors.unknownUser',
  self: 'delegation.errors.self',
  other_customer: 'delegation.errors.otherCustomer',
  nothing_to_hand_over: 'delegation.errors.nothingToHandOver',
  overlap: 'delegation.errors.overlap',
  too_long: 'delegation.errors.tooLong',
  forbidden: 'delegation.errors.forbidden',
  confirm_missing: 'delegation.errors.confirmRevoke',
};

/** Texts for bad input, by the field it names. */
const FIELD_TEXTS: Record<string, string> = {
  email: 'delegation.errors.email',
  role: 'delegation.errors.role',
  reason: 'delegation.errors.reason',
  endsAt: 'delegation.errors.endsAt',
  startsAt: 'delegation.errors.startsAt',
  deputy: 'delegation.errors.deputy',
  principal: 'delegation.errors.principal',
  customerId: 'delegation.errors.customer',
};

/**
 * The refusal as the summary shows it, linking to the control it is about. `controls` maps the fields
 * a form has to their element ids; `fallback` is the control for a refusal that names no field.
 */
export function delegationProblem(err: LoketError, t: Translate, controls: Record<string, string>, fallback: string | null = null): FormProblem {
  const field = err.field !== undefined && err.field in controls ? err.field : null;
  const codeKey = CODE_TEXTS[err.code];
  const fieldKey = err.code === 'validation_failed' && err.field !== undefined ? FIELD_TEXTS[err.field] : undefined;
  const message = codeKey !== undefined ? t(codeKey) : fieldKey !== undefined ? t(fieldKey) : err.message;
  return { field, target: field === null ? fallback : (controls[field] ?? fallback), message };
}
