import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the reader's pages (post, redirect, get). */
const notices = noticeCodes({
  voted: 'faq.notices.voted',
});
export type ReaderNotice = Parameters<typeof notices.path>[1];
export const readerNoticeFrom = notices.from;
export const withReaderNotice = notices.path;
