import { z } from 'zod';
import { optionalText } from '../audit/schema.js';
import { validationError } from '../errors.js';
import { ldapFilterSchema, ldapSettingsSchema } from './backends/ldap/settings.js';
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

/** A new backend's key: lower-case letters, digits and dashes (it appears in paths, the audit log and shadow rows). */
export const BACKEND_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

const orderField = z.number().int().min(0).max(MAX_BACKENDS - 1).optional().describe('Position in the list, 0 first; the others move up or down.');
const versionField = z.number().int().positive().optional();

/** A directory backend's settings as answered: everything but the bind password, and whether one is set. */
export const ldapSettingsResponseSchema = ldapSettingsSchema.omit({ bindPassword: true }).extend({
  bindPasswordSet: z.boolean().describe('Whether a bind password is stored; the password itself is never answered.'),
});

export const backendSchema = z.object({
  key: z.string(),
  type: z.string(),
  order: z.number().int(),
  readOnly: z.boolean(),
  map: z.array(fieldMapRowSchema),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
  settings: ldapSettingsResponseSchema.optional().describe('Directory backends only.'),
});

export const dbBackendPutSchema = z.strictObject({
  type: z.literal('db'),
  order: orderField,
  map: fieldMapRowsSchema,
  version: versionField,
});

/**
 * A directory backend as sent: its settings beside type, order and version. The service parses the
 * settings again (defaults, cross-field rules); this schema names unknown or mistyped fields first.
 */
export const ldapBackendPutSchema = ldapSettingsSchema.extend({
  type: z.literal('ldap'),
  order: orderField,
  version: versionField,
  bindPassword: z.string().max(500).optional().describe('Write-only. Left out: the stored one stays; an empty string clears it.'),
});

export const backendPutSchema = z.discriminatedUnion('type', [dbBackendPutSchema, ldapBackendPutSchema]);

export const savedBackendSchema = backendSchema.extend({
  reindexed: z.number().int().nullable().optional().describe('Database backend: users re-indexed because the search fields changed, or null.'),
});

export const PREVIEW_DEFAULT_LIMIT = 20;
export const PREVIEW_MAX_LIMIT = 200;

export const previewBodySchema = z.strictObject({
  filter: ldapFilterSchema.optional().describe('An extra LDAP filter, combined with the backend\'s always-filter.'),
  limit: z.number().int().min(1).max(PREVIEW_MAX_LIMIT).default(PREVIEW_DEFAULT_LIMIT),
});

export const syncBodySchema = z.strictObject({
  dryRun: z.boolean().describe('true: count and list what would change, write nothing.'),
  force: z.boolean().default(false).describe('Deactivate even more than the backend\'s maxDeactivateShare.'),
});

/* ---- Directory operation answers (plugin/customers/backends/ldap/operation-types.ts) ---- */

const cellWarningSchema = z.object({
  key: z.string(),
  kind: z.enum(['missing-required', 'multi-valued', 'binary', 'invalid', 'unknown-attribute']),
  detail: z.string().optional(),
});
const planActionSchema = z.enum(['create', 'update', 'reactivate', 'unchanged', 'conflict', 'skipped']);
const reportCount = () => z.number().int();

export const connectionReportSchema = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ step: z.enum(['connect', 'bind', 'base', 'users', 'groups']), ok: z.boolean(), detail: z.string(), ms: z.number() })),
  counts: z.object({ users: reportCount(), countedUpTo: reportCount(), groups: reportCount().nullable() }).nullable(),
});

export const previewReportSchema = z.object({
  columns: z.array(z.object({ key: z.string(), label: z.string().nullable(), storage: z.string() })),
  rows: z.array(
    z.object({
      dn: z.string(),
      login: z.string().nullable(),
      customerId: z.string().nullable(),
      cells: z.array(z.object({ key: z.string(), value: z.union([z.string(), z.number(), z.null()]), href: z.string().nullable(), warnings: z.array(cellWarningSchema) })),
      problems: z.array(z.enum(['no-id', 'no-login', 'invalid-login', 'no-customer', 'missing-required', 'no-email'])),
      action: planActionSchema,
      reason: z.string().nullable(),
    }),
  ),
  warnings: z.array(cellWarningSchema),
  truncated: z.boolean(),
  groups: z.array(z.object({ ldapGroupDn: z.string(), group: z.string(), permissions: z.array(z.string()), found: z.boolean(), members: reportCount(), logins: z.array(z.string()) })),
});

const syncCountsSchema = z.object(
  Object.fromEntries(
    ['entries', 'created', 'updated', 'unchanged', 'reactivated', 'deactivated', 'conflicts', 'skipped', 'managersLinked', 'groupGrantsAdded', 'groupGrantsRemoved'].map((k) => [k, reportCount()]),
  ),
);

export const syncReportSchema = z.object({
  backend: z.string(),
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: syncCountsSchema,
  refused: z.object({ reason: z.literal('too-many-deactivations'), wouldDeactivate: reportCount(), validUsers: reportCount(), maxShare: z.number() }).nullable(),
  lists: z.object({
    created: z.array(z.string()),
    updated: z.array(z.string()),
    reactivated: z.array(z.string()),
    deactivated: z.array(z.string()),
    conflicts: z.array(z.object({ dn: z.string(), login: z.string().nullable(), reason: z.string() })),
    skipped: z.array(z.object({ dn: z.string(), reason: z.string() })),
  }),
  more: z.record(z.string(), reportCount()).describe('Per list, how many items were left out of it (lists are capped).'),
});

export const syncStatusSchema = z.object({
  running: z.boolean(),
  progress: z
    .object({
      backend: z.string(),
      dryRun: z.boolean(),
      phase: z.enum(['users', 'groups', 'deactivations', 'done', 'failed']),
      entries: reportCount(),
      counts: syncCountsSchema,
      startedAt: z.string(),
      updatedAt: z.string(),
      error: z.string().nullable(),
    })
    .nullable(),
  last: syncReportSchema.nullable(),
});
