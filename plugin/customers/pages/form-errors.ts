import type { Response } from 'express';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { LoketError } from '../../errors.js';

export type Translate = (key: string, options?: Record<string, unknown>) => string;
export const translatorOf = (res: Response): Translate => res.locals.t as Translate;

/**
 * One problem with a submitted form: shown in the summary at the top and, when it names a field, beside
 * that field. `target` is the id of the control the summary links to.
 */
export interface FormProblem {
  field: string | null;
  target: string | null;
  message: string;
}

/**
 * Refusals a form shows on itself (400 bad input, 409 conflict, 422 rule) so the person's input is kept.
 * Anything else (403, 404, 500 …) is not about the input and goes to the error page.
 */
export function formRefusal(err: unknown): LoketError | null {
  return err instanceof LoketError && (err.status === 400 || err.status === 409 || err.status === 422) ? err : null;
}

/**
 * The refusal in the reader's language. Stable error codes are translated; a validation message is
 * described by the caller, who knows the field; whatever is left keeps the service's own words.
 */
export function describeRefusal(err: LoketError, t: Translate, describeInvalid: (field: string) => string | null): string {
  switch (err.code) {
    case 'edit_conflict':
      return t('formErrors.editConflict');
    case 'duplicate':
      if (err.field === 'email') return t('formErrors.duplicateEmail');
      if (err.field === 'customerId') return t('formErrors.duplicateCustomerId');
      return t('formErrors.duplicateLogin');
    case 'unknown_customer':
      return t('formErrors.unknownCustomer');
    case 'not_a_member':
      return t('formErrors.notAMember');
    case 'unknown_manager':
      return t('formErrors.unknownManager');
    case 'self_manager':
      return t('formErrors.selfManager');
    case 'read_only_backend':
      return t('formErrors.readOnlyBackend');
    case 'validation_failed':
      return (err.field ? describeInvalid(err.field) : null) ?? err.message;
    default:
      return err.message;
  }
}

/** Texts for fields every customer-user form shares (the relations beside the map). */
export function describeRelationField(field: string, t: Translate): string | null {
  if (field === 'password') return t('formErrors.passwordLength', { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
  if (field === 'manager') return t('formErrors.login');
  if (field === 'customerIds' || field.startsWith('customerIds.') || field === 'keyUserOf' || field.startsWith('keyUserOf.')) {
    return t('formErrors.customerIdList');
  }
  if (field === 'validity' || field === 'language') return t('formErrors.choose');
  if (field === 'confirm') return t('formErrors.confirmLogin');
  return null;
}
