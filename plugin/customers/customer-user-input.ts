import { z } from 'zod';
import { loginSchema } from '../agents/schema.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { LoketError, validationError } from '../errors.js';
import { CORE_KEYS, unknownKeys, validateFieldValues, type FieldMap, type FieldValues } from './field-map.js';
import { customerIdSchema, VALIDITIES } from './schema.js';

/**
 * The parts of a customer-user write that are not map fields: relations, lifecycle and credentials.
 * Map fields are checked against the map; these against fixed schemas.
 */
export const relationsSchema = z.strictObject({
  customerIds: z.array(customerIdSchema).max(100).optional(),
  keyUserOf: z.array(customerIdSchema).max(100).optional(),
  manager: z.union([loginSchema, z.null()]).optional(),
  validity: z.enum(VALIDITIES).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).optional(),
  language: z.union([z.enum(['en', 'nl', 'nb']), z.null()]).optional(),
  version: z.number().int().positive().optional(),
});
export type Relations = z.output<typeof relationsSchema>;
const RELATION_KEYS = Object.keys(relationsSchema.shape);
export const RESERVED_LOGINS = new Set(['new', 'import', 'export']);

/** Read-only API fields a client may send back unchanged (a GET body PUT back); they are ignored. */
const ECHO_KEYS = ['backend', 'hasPassword', 'createdAt', 'updatedAt', 'lastLoginAt', 'anonymised'];

export interface ParsedWrite {
  fields: FieldValues;
  relations: Relations;
}

function asRecord(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw validationError('The body must be a JSON object.');
  return input as Record<string, unknown>;
}

/** Splits and checks a create (every required field present) or a patch (only what is sent). */
export function parseCustomerUserWrite(map: FieldMap, input: unknown, opts: { partial: boolean }): ParsedWrite {
  const record = asRecord(input);
  const unknown = unknownKeys(map, record, [...RELATION_KEYS, ...ECHO_KEYS]);
  if (unknown.length) throw validationError(`${unknown[0]}: not a customer-user field.`, unknown[0]);
  const relationInput = Object.fromEntries(Object.entries(record).filter(([k]) => RELATION_KEYS.includes(k)));
  const relations = relationsSchema.safeParse(relationInput);
  if (!relations.success) {
    const issue = relations.error.issues[0];
    const joined = issue?.path.join('.');
    const field = joined === '' ? undefined : joined;
    throw validationError(`${field ?? 'body'}: ${issue?.message ?? 'invalid'}`, field);
  }
  const fieldInput = Object.fromEntries(Object.entries(record).filter(([k]) => !RELATION_KEYS.includes(k) && !ECHO_KEYS.includes(k)));
  const fields = validateFieldValues(map, fieldInput, opts);
  if (fields.login !== undefined && fields.login !== null) {
    const login = loginSchema.safeParse(fields.login);
    if (!login.success) throw validationError(`login: ${login.error.issues[0]?.message ?? 'invalid'}`, 'login');
    // These words are pages beside /customer-users/<login>; a user by that name could never be opened.
    if (RESERVED_LOGINS.has(login.data)) throw validationError(`login: ${login.data} is reserved`, 'login');
    fields.login = login.data;
  }
  if (typeof fields.email === 'string') fields.email = fields.email.toLowerCase();
  if (typeof fields.customerId === 'string') {
    const id = customerIdSchema.safeParse(fields.customerId);
    if (!id.success) throw validationError(`customerId: ${id.error.issues[0]?.message ?? 'invalid'}`, 'customerId');
  }
  return { fields, relations: relations.data };
}

/** What a customer user may change about themself: map fields that are neither read-only nor identity. */
const SELF_PROTECTED = new Set<string>([...CORE_KEYS.filter((k) => k !== 'firstName' && k !== 'lastName'), ...RELATION_KEYS.filter((k) => k !== 'language' && k !== 'version')]);

/**
 * A self-service change names only what the person may change; anything else (validity, customer,
 * key-user marks, manager, login, e-mail, read-only fields) is refused with 403 naming the field,
 * rather than silently dropped, so a tampered form is visible in the logs.
 */
export function assertSelfServiceKeys(map: FieldMap, input: Record<string, unknown>): void {
  const readOnly = new Set(map.filter((r) => r.readOnly).map((r) => r.key));
  for (const key of Object.keys(input)) {
    if (SELF_PROTECTED.has(key) || readOnly.has(key) || ECHO_KEYS.includes(key)) {
      throw new LoketError({ status: 403, code: 'forbidden', message: `${key}: you cannot change this yourself.`, field: key });
    }
  }
}
