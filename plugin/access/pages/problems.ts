import type { LoketError } from '../../errors.js';
import type { FormProblem, Translate } from '../../customers/pages/form-errors.js';

/**
 * A refusal of an access screen's form in the reader's language, pointing at the control it is about.
 * `targets` maps the service's field names to the ids of this page's controls.
 */
export function accessProblem(err: LoketError, t: Translate, what: 'group' | 'service' | 'assignment', targets: Record<string, string> = {}): FormProblem {
  const field = err.field ?? null;
  const target = field === null ? null : (targets[field] ?? targets[field.replace(/\.\d+$/, '')] ?? null);
  return { field, target, message: describe(err, t, what) };
}

function describe(err: LoketError, t: Translate, what: 'group' | 'service' | 'assignment'): string {
  switch (err.code) {
    case 'duplicate':
      return what === 'service' ? t('accessScreens.errors.duplicateService') : t('accessScreens.errors.duplicateGroup');
    case 'edit_conflict':
      return t('formErrors.editConflict');
    case 'unknown_parent':
      return t('accessScreens.errors.unknownParent');
    case 'immutable':
      return t('accessScreens.errors.serviceKeepsName');
    case 'unknown_group':
      return t('accessScreens.errors.unknownGroup');
    case 'unknown_service':
      return t('accessScreens.errors.unknownService');
    case 'unknown_permission':
      return t('accessScreens.errors.unknownPermission');
    case 'unknown_customer_user':
      return t('accessScreens.errors.unknownLogin');
    case 'unknown_customer':
      return t('accessScreens.errors.unknownCustomer');
    case 'validation_failed':
      if (err.field === 'name') return what === 'service' ? t('accessScreens.errors.serviceName') : t('accessScreens.errors.groupName');
      if (err.field === 'comment') return t('accessScreens.errors.comment');
      return err.message;
    default:
      return err.message;
  }
}
