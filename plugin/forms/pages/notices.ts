import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the forms pages (post, redirect, get). */
const notices = noticeCodes({
  saved: 'forms.notices.saved',
  created: 'forms.notices.created',
  validity: 'forms.notices.validity',
  submitted: 'forms.notices.submitted',
  cancelled: 'forms.notices.cancelled',
  approved: 'forms.notices.approved',
  rejected: 'forms.notices.rejected',
});
export type FormsNotice = Parameters<typeof notices.path>[1];
export const withFormsNotice = notices.path;
export const formsNoticeFrom = notices.from;
