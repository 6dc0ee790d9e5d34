import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the editor screens (post, redirect, get). */
const notices = noticeCodes({
  created: 'faqEditor.notices.created',
  saved: 'faqEditor.notices.saved',
  backInReview: 'faqEditor.notices.backInReview',
  backToDraft: 'faqEditor.notices.backToDraft',
  submitted: 'faqEditor.notices.submitted',
  approved: 'faqEditor.notices.approved',
  rejected: 'faqEditor.notices.rejected',
  archived: 'faqEditor.notices.archived',
  dismissed: 'faqEditor.notices.dismissed',
  categoryCreated: 'faqEditor.notices.categoryCreated',
  categorySaved: 'faqEditor.notices.categorySaved',
});
export type EditorNotice = Parameters<typeof notices.path>[1];
export const editorNoticeFrom = notices.from;
export const withEditorNotice = notices.path;
