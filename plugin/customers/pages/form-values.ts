import { z } from 'zod';
import { noticeCodes } from '../../web/notices.js';

/** One form value: a repeated name (an array) or anything else where a string belongs is a 400. */
export const formText = (max = 10_000) => z.string().max(max);

/** Form names outside the map's key pattern (camelCase letters and digits), so no custom field can take them. */
export const FORM_EXTRA_CUSTOMERS = 'extra-customers';
export const FORM_KEY_USER_OF = 'key-user-of';
export const FORM_KEY_USER_PRIMARY = 'key-user-primary';

/** Customer IDs typed one per line or separated by commas; empty entries and repeats dropped. */
export function splitCustomerIds(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set(text.split(/[\r\n,]+/).map((id) => id.trim()).filter((id) => id !== ''))];
}

/** A checkbox group arrives as nothing, one string or several. */
export const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const notices = noticeCodes({
  saved: 'formNotices.saved',
  created: 'formNotices.created',
  linked: 'formNotices.linked',
  unlinked: 'formNotices.unlinked',
  linkSent: 'formNotices.linkSent',
  linkNotSent: 'formNotices.linkNotSent',
  linkNoBase: 'formNotices.linkNoBase',
  anonymised: 'formNotices.anonymised',
  mapSaved: { key: 'formNotices.mapSaved', withCount: 'formNotices.reindexed' },
});
export type NoticeCode = Parameters<typeof notices.path>[1];
export const noticeFrom = notices.from;
export const withNotice = notices.path;
