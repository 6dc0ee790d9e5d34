import type { Request } from 'express';
import { z } from 'zod';
import type { Translate } from './form-errors.js';

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

const NOTICES = ['saved', 'created', 'linked', 'unlinked', 'linkSent', 'linkNotSent', 'linkNoBase', 'anonymised', 'mapSaved'] as const;
export type NoticeCode = (typeof NOTICES)[number];

const noticeQuery = z.object({
  notice: z.enum(NOTICES).optional().catch(undefined),
  reindexed: z.coerce.number().int().min(0).max(1_000_000_000).optional().catch(undefined),
});

/**
 * The message after a redirect (post, redirect, get): the code travels in the query string, so a reload
 * shows it again but repeats nothing. Unknown codes are ignored rather than refused: it is only a message.
 */
export function noticeFrom(req: Request, t: Translate): string | null {
  const { notice, reindexed } = noticeQuery.parse(req.query);
  switch (notice) {
    case 'saved':
      return t('formNotices.saved');
    case 'created':
      return t('formNotices.created');
    case 'linked':
      return t('formNotices.linked');
    case 'unlinked':
      return t('formNotices.unlinked');
    case 'linkSent':
      return t('formNotices.linkSent');
    case 'linkNotSent':
      return t('formNotices.linkNotSent');
    case 'linkNoBase':
      return t('formNotices.linkNoBase');
    case 'anonymised':
      return t('formNotices.anonymised');
    case 'mapSaved':
      return reindexed === undefined ? t('formNotices.mapSaved') : `${t('formNotices.mapSaved')} ${t('formNotices.reindexed', { count: reindexed })}`;
    default:
      return null;
  }
}

/** `?notice=…` for a redirect. */
export const withNotice = (path: string, notice: NoticeCode, extra: Record<string, string> = {}): string =>
  `${path}?${new URLSearchParams({ notice, ...extra }).toString()}`;
