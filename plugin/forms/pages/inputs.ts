import type { Response } from 'express';
import { z } from 'zod';
import { formText } from '../../customers/pages/form-values.js';
import { notFound } from '../../errors.js';
import { pageLanguage } from '../../faq/pages/reader-input.js';
import { freshIdempotencyKey, keptIdempotencyKey } from '../../tickets/pages/portal-forms.js';
import { FORM_KEY } from '../definition.js';

export { freshIdempotencyKey, keptIdempotencyKey };

/** The reader's language for form texts (definitions carry en, nl and nb). */
export const readerLanguage = (res: Response): string => pageLanguage(res);

/** A form key in a path; anything that cannot be one names no form (404, like an unknown key). */
export function formKeyOf(value: unknown): string {
  if (typeof value !== 'string' || !FORM_KEY.test(value)) throw notFound('No such form.');
  return value;
}

/** A run or approval id in a path; anything else names nothing (404). */

/** A posted form: each name once (a repeated name is a 400), every value a bounded string. */
export const postedForm = z.record(z.string().max(100), formText(20_000));

/** The form page's address: a target search and a preselected target are hints, never refused. */
export const formPageQuery = z.object({
  targetSearch: z.string().catch('').transform((s) => s.trim().slice(0, 200)),
  target: z.string().catch('').transform((s) => s.trim().slice(0, 191)),
});

export const decisionForm = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: formText(2000).default('').transform((s) => s.trim()),
  payloadHash: formText(128).default(''),
  _csrf: formText(200).optional(),
});

export const editorForm = z.object({
  definition: formText(200_000).default(''),
  version: formText(12).default(''),
  _csrf: formText(200).optional(),
});

export const validityForm = z.object({ validity: z.enum(['valid', 'invalid']), _csrf: formText(200).optional() });

export const emptyForm = z.object({ _csrf: formText(200).optional() });
