import { z } from 'zod';
import { validationError } from '../errors.js';

/**
 * The field map (OTOBO's `Map`): one row per customer-user field. It drives the edit form, the list
 * columns, validation, the search index and the API, and every backend reads the same rows. `storage`
 * is backend-specific (a column or `extra.<name>` for the database, an attribute for LDAP); nothing here
 * knows which backend a row serves.
 */
export const FIELD_TYPES = ['var', 'int', 'date', 'email', 'select'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Keys of the built-in fields, in the API's camelCase. */
export const BUILT_IN_KEYS = [
  'title', 'firstName', 'lastName', 'login', 'email', 'customerId',
  'phone', 'fax', 'mobile', 'street', 'zip', 'city', 'country', 'comment',
] as const;
export type BuiltInKey = (typeof BUILT_IN_KEYS)[number];

/** Every map must carry these, and they are always required: without them there is no account. */
export const CORE_KEYS = ['login', 'email', 'customerId', 'firstName', 'lastName'] as const;

/** Names a custom field may not take: the API already uses them for something else. */
const RESERVED_KEYS = new Set(['password', 'customerIds', 'keyUserOf', 'manager', 'validity', 'version', 'generatedPassword', 'id', 'source', 'language', 'createdAt', 'updatedAt', 'lastLoginAt', 'anonymisedAt', 'hasPassword']);

export const fieldMapRowSchema = z.strictObject({
  key: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'camelCase letters and digits, starting with a lower-case letter'),
  label: z.string().trim().max(100).optional(),
  storage: z.string().regex(/^[A-Za-z][\w.-]{0,99}$/, 'a column, attribute or extra.<name>'),
  shown: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  required: z.boolean().default(false),
  type: z.enum(FIELD_TYPES).default('var'),
  link: z.string().trim().max(500).optional(),
  readOnly: z.boolean().default(false),
  search: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
  maxLength: z.number().int().min(1).max(5000).optional(),
});
export type FieldMapRow = z.output<typeof fieldMapRowSchema>;
export type FieldMapRowInput = z.input<typeof fieldMapRowSchema>;

export const fieldMapSchema = z
  .array(fieldMapRowSchema)
  .min(1)
  .max(100)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (seen.has(row.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `key ${row.key} appears twice` });
      seen.add(row.key);
      if (RESERVED_KEYS.has(row.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `${row.key} is reserved` });
      if (row.type === 'select' && !row.options?.length) ctx.addIssue({ code: 'custom', path: [i, 'options'], message: 'a select field needs options' });
      if (!(BUILT_IN_KEYS as readonly string[]).includes(row.key) && !row.label) {
        ctx.addIssue({ code: 'custom', path: [i, 'label'], message: 'a custom field needs a label' });
      }
    });
    for (const key of CORE_KEYS) {
      if (!seen.has(key)) ctx.addIssue({ code: 'custom', path: [], message: `the map must contain ${key}` });
    }
  })
  .transform((rows) => rows.map((row) => ((CORE_KEYS as readonly string[]).includes(row.key) ? { ...row, required: true } : row)));
export type FieldMap = FieldMapRow[];

const row = (key: BuiltInKey, storage: string, extra: Partial<FieldMapRow> = {}): FieldMapRow => ({
  key, storage, shown: 1, required: false, type: 'var', readOnly: false, search: false, ...extra,
});

/** The database backend's map: OTOBO's default fields, plus e-mail in search and a mailto link. */
export const DEFAULT_DB_MAP: FieldMap = [
  row('title', 'title', { maxLength: 50 }),
  row('firstName', 'first_name', { shown: 2, required: true, search: true, maxLength: 100 }),
  row('lastName', 'last_name', { shown: 2, required: true, search: true, maxLength: 100 }),
  row('login', 'login', { shown: 2, required: true, search: true }),
  row('email', 'email', { shown: 2, required: true, search: true, type: 'email', link: 'mailto:{{email}}' }),
  row('customerId', 'customer_id', { shown: 2, required: true, search: true, maxLength: 150 }),
  row('phone', 'phone', { maxLength: 50, link: 'tel:{{phone}}' }),
  row('fax', 'fax', { maxLength: 50 }),
  row('mobile', 'mobile', { maxLength: 50, link: 'tel:{{mobile}}' }),
  row('street', 'street'),
  row('zip', 'zip', { maxLength: 32 }),
  row('city', 'city'),
  row('country', 'country', { maxLength: 100 }),
  row('comment', 'comment', { maxLength: 5000 }),
];

export const isBuiltIn = (key: string): key is BuiltInKey => (BUILT_IN_KEYS as readonly string[]).includes(key);

export type FieldValue = string | number | null;
export type FieldValues = Record<string, FieldValue>;

const DEFAULT_MAX = 191;

/** One value checked against its row; throws a 400 naming the field. */
export function checkValue(row: FieldMapRow, raw: unknown): FieldValue {
  const fail = (message: string) => validationError(`${row.key}: ${message}`, row.key);
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number' && row.type === 'int') {
    if (!Number.isSafeInteger(raw)) throw fail('must be a whole number');
    return raw;
  }
  if (typeof raw !== 'string') throw fail('must be a string');
  const value = raw.trim();
  if (value === '') return null;
  if (value.length > (row.maxLength ?? DEFAULT_MAX)) throw fail(`at most ${row.maxLength ?? DEFAULT_MAX} characters`);
  switch (row.type) {
    case 'int': {
      if (!/^-?\d{1,15}$/.test(value)) throw fail('must be a whole number');
      return Number(value);
    }
    case 'date': {
      const date = new Date(`${value}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
        throw fail('must be a date (YYYY-MM-DD)');
      }
      return value;
    }
    case 'email': {
      if (!z.email().safeParse(value).success) throw fail('must be an e-mail address');
      return value.toLowerCase();
    }
    case 'select': {
      if (!row.options?.includes(value)) throw fail(`must be one of ${row.options?.join(', ') ?? ''}`);
      return value;
    }
    default:
      return value;
  }
}

/**
 * Checks values against the map. With `partial`, only keys present in the input are checked (a PATCH);
 * otherwise every required field must have a value. Keys outside the map are refused: a typo should
 * not be silently dropped. The first problem becomes a 400 naming the field.
 */
export function validateFieldValues(map: FieldMap, input: Record<string, unknown>, opts: { partial: boolean }): FieldValues {
  const out: FieldValues = {};
  for (const row of map) {
    const present = Object.hasOwn(input, row.key);
    if (!present && opts.partial) continue;
    const value = checkValue(row, input[row.key]);
    if (value === null && row.required) throw validationError(`${row.key} is required.`, row.key);
    out[row.key] = value;
  }
  return out;
}

/** Fields of the input that the map knows, and those it does not. */
export function unknownKeys(map: FieldMap, input: Record<string, unknown>, alsoAllowed: readonly string[]): string[] {
  const known = new Set([...map.map((r) => r.key), ...alsoAllowed]);
  return Object.keys(input).filter((k) => !known.has(k));
}

const SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;

/**
 * A row's link for a value, or null. Values are URL-encoded into the template, and a result with any
 * other scheme than http(s), mailto or tel is not a link (a field can never become `javascript:`).
 */
export function linkFor(row: FieldMapRow, values: FieldValues): string | null {
  if (!row.link) return null;
  const own = values[row.key];
  if (own === null || own === undefined || own === '') return null;
  const href = row.link.replace(/\{\{\s*([A-Za-z0-9]+)\s*\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === null || v === undefined) return '';
    const text = String(v);
    return key === row.key && /^mailto:|^tel:/i.test(row.link ?? '') ? encodeURI(text) : encodeURIComponent(text);
  });
  return SAFE_LINK.test(href) ? href : null;
}

/** Columns of the short view: rows shown 2, or when none is, rows shown 1 (OTOBO's "lite" rule). */
export function shortViewRows(map: FieldMap): FieldMapRow[] {
  const lite = map.filter((r) => r.shown === 2);
  return lite.length ? lite : map.filter((r) => r.shown === 1);
}

export const detailRows = (map: FieldMap): FieldMapRow[] => map.filter((r) => r.shown > 0);
export const searchRows = (map: FieldMap): FieldMapRow[] => map.filter((r) => r.search);
