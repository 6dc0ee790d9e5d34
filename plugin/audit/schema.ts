import { z } from 'zod';
import { customerIdSchema } from '../customers/schema.js';
import type { AuditEntry } from './store.js';

/** One audit entry as the API answers with it; the OpenAPI document is generated from the same schema. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string().describe('UTC, ISO 8601'),
  actorKind: z.string(),
  actorLogin: z.string(),
  effectiveCustomerId: z.string().nullable(),
  delegationId: z.number().int().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  before: z.unknown().describe('JSON value before the change, or null'),
  after: z.unknown().describe('JSON value after the change, or null'),
  ip: z.string().nullable(),
  hash: z.string(),
  prevHash: z.string(),
});

export const auditListSchema = z.object({
  items: z.array(auditEntrySchema),
  total: z.number().int(),
  limit: z.number().int(),
});

export const presentAuditEntry = (entry: AuditEntry): z.output<typeof auditEntrySchema> => auditEntrySchema.parse(entry);

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

// Empty form fields and `?actor=` mean "no filter", not "an empty login".
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A filter text; a repeated query parameter arrives as an array and is refused by `z.string()`. */
export const optionalText = (max: number) => z.preprocess(emptyToUndefined, z.string().trim().max(max).optional());

export const limitField = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(AUDIT_MAX_LIMIT))
    .default(AUDIT_DEFAULT_LIMIT),
);

export const beforeIdField = z.preprocess(
  emptyToUndefined,
  z.string().regex(/^\d{1,12}$/, 'expected an entry id').transform(Number).pipe(z.number().int().positive()).optional(),
);

/** Kept as typed (the form shows it back); `sinceToTimestamp` makes it comparable with the stored times. */
export const sinceField = z.preprocess(
  emptyToUndefined,
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (YYYY-MM-DD) or an ISO 8601 date-time' }).optional(),
);

/** Stored times are UTC ISO strings compared as text, so the bound must be one too (a bare date is UTC midnight). */
export const sinceToTimestamp = (since: string | undefined): string | undefined =>
  since === undefined ? undefined : new Date(since).toISOString();

/** A customer ID, kept exactly as typed inside (compared exactly); empty means "every one the reader may see". */
export const customerIdField = z.preprocess(emptyToUndefined, customerIdSchema.optional());

/** `type` or `type:id`, e.g. `customer-user:jan`; the id may itself contain colons. */
export const objectField = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(256)
    .regex(/^[^:]{1,64}(:.{1,191})?$/, 'expected type or type:id')
    .transform((value) => {
      const colon = value.indexOf(':');
      return colon < 0 ? { objectType: value } : { objectType: value.slice(0, colon), objectId: value.slice(colon + 1) };
    })
    .optional(),
);
