import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import type { LoketError } from '../../errors.js';
import { noticeCodes } from '../../web/notices.js';
import type { FormProblem, Translate } from './form-errors.js';

/** The profile's "Change password" form. Lengths are the service's rule, so they are not checked here. */
export const passwordChangeForm = z.object({ current: z.string(), password: z.string(), confirm: z.string() });

type PasswordField = 'current' | 'password' | 'confirm';

const problemAt = (field: PasswordField | null, message: string): FormProblem => ({ field, target: field && `pw-${field}`, message });

export const passwordMismatch = (t: Translate): FormProblem => problemAt('confirm', t('passwordPages.mismatch'));

/** A refusal of the password service in the words of the FAQ article "Change your password". */
export function describePasswordRefusal(err: LoketError, t: Translate, typed: string): FormProblem {
  switch (err.code) {
    case 'wrong_password':
      return problemAt('current', t('profilePage.password.wrongCurrent'));
    case 'same_password':
      return problemAt('password', t('profilePage.password.same'));
    case 'password_managed_elsewhere':
      return problemAt(null, t('profilePage.password.managedElsewhere'));
    case 'validation_failed':
      if (err.field === 'password') {
        return problemAt('password', typed.length < MIN_PASSWORD_LENGTH ? t('passwordPages.tooShort') : t('profilePage.password.tooLong', { max: MAX_PASSWORD_LENGTH }));
      }
      return problemAt(null, err.message);
    default:
      return problemAt(null, err.message);
  }
}

/** The three fields as the view shows them: the error of the field it names sits beside it. */
export function passwordFields(t: Translate, problem: FormProblem | null) {
  const field = (name: PasswordField, autocomplete: 'current-password' | 'new-password', hint: string | null) => ({
    id: `pw-${name}`,
    name,
    label: t(`profilePage.password.${name}`),
    autocomplete,
    hint,
    error: problem?.field === name ? problem.message : null,
  });
  return [
    field('current', 'current-password', null),
    field('password', 'new-password', t('profilePage.password.hint', { min: MIN_PASSWORD_LENGTH })),
    field('confirm', 'new-password', null),
  ];
}

export const passwordNotices = noticeCodes({ passwordChanged: 'profilePage.password.changed' });
