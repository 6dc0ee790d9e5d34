import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the group, service and defaults pages (post, redirect, get). */
const notices = noticeCodes({
  created: 'accessScreens.notices.created',
  saved: 'accessScreens.notices.saved',
  servicesSaved: 'accessScreens.notices.servicesSaved',
  membersSaved: 'accessScreens.notices.membersSaved',
  defaultsSaved: 'accessScreens.notices.defaultsSaved',
});
export type AccessNotice = Parameters<typeof notices.path>[1];
export const accessNoticeFrom = notices.from;
export const withAccessNotice = notices.path;
