import { z } from 'zod';
import { optionalText } from '../audit/schema.js';
import { validationError } from '../errors.js';
import { BUILT_IN_KEYS, fieldMapRowSchema } from './field-map.js';
import { customerUserResponseSchema } from './present.js';
import { relationsSchema } from './customer-user-input.js';
import { customerIdSchema, VALIDITIES } from './schema.js';

/** Query strings, bodies and headers of the customer, customer-user, backend and profile API, parsed at the edge. */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A whole number from the query string; a repeated parameter arrives as an array and is refused. */
const countField = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

export const limitField = (fallback: number, max: number) => z.preprocess(emptyToUndefined, countField(1, max).default(fallback));
export const offsetField = z.preprocess(emptyToUndefined, countField(0, 100_000_000).default(0));
export const validityField = z.preprocess(emptyToUndefined, z.enum(VALIDITIES).optional());

export const CUSTOMER_DEFAULT_LIMIT = 100;
export const CUSTOMER_MAX_LIMIT = 1000;

export const customerListQuery = z.object({
  search: optionalText(500),
  validity: validityField,
  limit: limitField(CUSTOMER_DEFAULT_LIMIT, CUSTOMER_MAX_LIMIT),
  offset: offsetField,
});

/** The configured search limit is both the default and the most one page may hold. */
export const customerUserListQuery = (searchLimit: number) =>
  z.object({
    search: optionalText(500),
    customerId: z.preprocess(emptyToUndefined, customerIdSchema.optional()),
    validity: validityField,
    limit: limitField(searchLimit, searchLimit),
    offset: offsetField,
  });

/** Parses a query string; a misspelt filter fails (naming it) instead of quietly returning everything. */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const record = (query ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !Object.hasOwn(schema.shape, key));
  if (unknown !== undefined) throw validationError(`${unknown}: unknown query parameter`, unknown);
  const result = schema.safeParse(record);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : undefined;
  throw validationError(`${field ?? 'query'}: ${issue?.message ?? 'invalid'}`, field);
}

/** Natural keys in paths are taken exactly as sent (no trimming: `1` and ` 1` are different IDs). */
export const customerIdParam = z.string().min(1).max(150);
export const loginParam = z.string().min(1).max(191);
export const backendKeyParam = z.string().min(1).max(64);

/** A JSON object body; anything else (an array, a string, nothing) is refused before it reaches a service. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationError('The body must be a JSON object.');
  return body as Record<string, unknown>;
}

/**
 * Parses a JSON object body. Like parseInput, the first problem becomes a 400 naming the field; an
 * unknown key is named too (zod reports those on the object, without a path to the key).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(objectBody(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = [...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
  const field = path.length ? path.join('.') : undefined;
  const message = unknownKey === undefined ? (issue?.message ?? 'invalid') : 'not a known field';
  throw validationError(`${field ?? 'body'}: ${message}`, field);
}

/** A body that must carry nothing (or an empty object): an action on the path alone. */
export function emptyBody(body: unknown): void {
  if (body === undefined) return;
  const key = Object.keys(objectBody(body))[0];
  if (key !== undefined) throw validationError(`${key}: this request takes no body`, key);
}

/**
 * The version a write was based on: `If-Match: "<version>"` (what the ETag of a GET said) or `version`
 * in the body. Both may be sent, but then they must agree. `If-Match: *` means "whatever is current".
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: unknown): number | undefined {
  const header = ifMatch?.trim();
  let fromHeader: number | undefined;
  if (header !== undefined && header !== '*') {
    const match = /^"(\d{1,9})"$/.exec(header);
    if (!match) throw validationError('If-Match: expected the quoted version from the ETag, e.g. "3"', 'If-Match');
    fromHeader = Number(match[1]);
  }
  if (bodyVersion === undefined) return fromHeader;
  if (typeof bodyVersion !== 'number' || !Number.isSafeInteger(bodyVersion) || bodyVersion < 1) {
    throw validationError('version: expected a positive whole number', 'version');
  }
  if (fromHeader !== undefined && fromHeader !== bodyVersion) throw validationError('version: does not match the If-Match header', 'version');
  return bodyVersion;
}

export const etagOf = (version: number): string => `"${version}"`;

/* ---- Documented bodies and answers (the OpenAPI document is generated from these) ---- */

const fieldValue = z.union([z.string(), z.number(), z.null()]);
const builtIns = {
  ...Object.fromEntries(BUILT_IN_KEYS.map((key) => [key, z.string().nullable().optional()])),
  // The login schema lower-cases (a transform), which the document cannot show; a manager is named by login.
  manager: z.string().nullable().optional().describe('Login of the manager, or null'),
};

/**
 * A customer-user write as documented. The service checks the map fields against the field map (a
 * custom field under its map key, a missing required field named in the 400) and the rest against
 * `relationsSchema`.
 */
export const customerUserWriteSchema = relationsSchema
  .extend(builtIns)
  .extend({ login: z.string(), email: z.string(), customerId: z.string(), firstName: z.string(), lastName: z.string() })
  .catchall(fieldValue)
  .describe('Map fields under their key (custom fields too). Omit password to have one generated and a set-password link mailed.');

export const customerUserPatchSchema = relationsSchema
  .extend(builtIns)
  .catchall(fieldValue)
  .describe('Only the fields sent change. version (or If-Match) guards against overwriting someone else\'s change.');

export const passwordLinkSchema = z.object({
  sent: z.boolean(),
  reason: z
    .enum(['password-given', 'no-base-url', 'mail-off', 'mail-failed'])
    .optional()
    .describe('Why no link went out: a password was given, BASE_URL is not set, mail is off, or the mail server refused it.'),
});
export type PasswordLinkResult = z.output<typeof passwordLinkSchema>;

export const createdCustomerUserSchema = customerUserResponseSchema
  .extend({
    generatedPassword: z.string().optional().describe('Only in this answer, only when no password was given.'),
    passwordLink: passwordLinkSchema,
  })
  .catchall(fieldValue);

export const anonymiseSchema = z.strictObject({ confirm: z.string().min(1).max(191).describe('The login of the user, typed again.') });

const SELF_SERVICE_KEYS = ['title', 'firstName', 'lastName', 'phone', 'fax', 'mobile', 'street', 'zip', 'city', 'country', 'comment'] as const;
export const profilePatchSchema = z
  .object({
    ...Object.fromEntries(SELF_SERVICE_KEYS.map((key) => [key, z.string().nullable().optional()])),
    language: z.enum(['en', 'nl', 'nb']).nullable().optional(),
    version: z.number().int().positive().optional(),
  })
  .catchall(fieldValue)
  .describe('Own contact details and custom fields that are not read-only. validity, customerId, customerIds, keyUserOf, manager, login and email answer 403.');

/** Rows of the field map as sent and answered; the service adds the rules across rows (core keys, unique keys). */
export const fieldMapRowsSchema = z.array(fieldMapRowSchema).min(1).max(100);

export const MAX_BACKENDS = 10;

export const backendSchema = z.object({
  key: z.string(),
  type: z.string(),
  order: z.number().int(),
  readOnly: z.boolean(),
  map: z.array(fieldMapRowSchema),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
});

export const backendPutSchema = z.strictObject({
  type: z.literal('db').describe('Only the database backend can be edited for now.'),
  order: z.number().int().min(0).max(MAX_BACKENDS - 1).optional().describe('Position in the list, 0 first.'),
  map: fieldMapRowsSchema,
  version: z.number().int().positive().optional(),
});

export const savedBackendSchema = backendSchema.extend({
  reindexed: z.number().int().nullable().describe('Users re-indexed because the search fields changed, or null.'),
});
