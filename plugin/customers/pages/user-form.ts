import { z } from 'zod';
import { LANGUAGES } from '../../i18n/index.js';
import type { LoketError } from '../../errors.js';
import { parseInput } from '../../web/validate.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import type { FieldMap } from '../field-map.js';
import { VALIDITIES, type Validity } from '../schema.js';
import { describeRefusal, describeRelationField, type FormProblem, type Translate } from './form-errors.js';
import { asList, formText, FORM_EXTRA_CUSTOMERS, FORM_KEY_USER_OF, FORM_KEY_USER_PRIMARY, splitCustomerIds } from './form-values.js';
import { describeMapField, fieldView, textOf, type FieldView } from './map-fields.js';

export type FormMode = 'create' | 'edit';

/** What the admin's customer-user form holds, as typed (strings), so a refused form shows it again. */
export interface UserForm {
  fields: Record<string, string>;
  extraCustomers: string;
  keyUserOf: string[];
  keyUserPrimary: boolean;
  manager: string;
  validity: Validity;
  language: string;
  password: string;
  version: number | undefined;
}

const relationsForm = z.object({
  [FORM_EXTRA_CUSTOMERS]: formText(20_000).default(''),
  [FORM_KEY_USER_OF]: z.union([formText(200), z.array(formText(200)).max(100)]).optional(),
  [FORM_KEY_USER_PRIMARY]: z.literal('1').optional(),
  manager: formText(191).default(''),
  validity: z.enum(VALIDITIES).default('valid'),
  language: z.enum(['', ...LANGUAGES]).default(''),
  password: formText(1000).default(''),
  version: z.string().regex(/^\d{1,12}$/).transform(Number).optional(),
});

/** Reads the posted form: every map field and relation must be one string (or a list for checkboxes). */
export function parseUserForm(map: FieldMap, body: unknown): UserForm {
  const mapShape = Object.fromEntries(map.map((row) => [row.key, formText().optional()]));
  const fields = parseInput(z.object(mapShape), body);
  const relations = parseInput(relationsForm, body);
  const typed: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') typed[key] = value;
  return {
    fields: typed,
    extraCustomers: relations[FORM_EXTRA_CUSTOMERS],
    keyUserOf: asList(relations[FORM_KEY_USER_OF]),
    keyUserPrimary: relations[FORM_KEY_USER_PRIMARY] === '1',
    manager: relations.manager,
    validity: relations.validity,
    language: relations.language,
    password: relations.password,
    version: relations.version,
  };
}

export const emptyUserForm = (map: FieldMap): UserForm => ({
  fields: Object.fromEntries(map.map((row) => [row.key, ''])),
  extraCustomers: '',
  keyUserOf: [],
  keyUserPrimary: false,
  manager: '',
  validity: 'valid',
  language: '',
  password: '',
  version: undefined,
});

export const userFormOf = (user: CustomerUserRecord, map: FieldMap): UserForm => ({
  fields: Object.fromEntries(map.map((row) => [row.key, textOf(user.fields[row.key])])),
  extraCustomers: user.customerIds.join('\n'),
  keyUserOf: user.keyUserOf,
  keyUserPrimary: false,
  manager: user.manager ?? '',
  validity: user.validity,
  language: user.language ?? '',
  password: '',
  version: user.version,
});

/**
 * The service's input: map fields as typed (the service checks them against the map), the extra
 * customers and key-user marks as lists. Read-only rows are not sent when editing: they cannot change.
 */
export function userInput(map: FieldMap, form: UserForm, mode: FormMode): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const row of map) {
    if (mode === 'edit' && row.readOnly) continue;
    if (Object.hasOwn(form.fields, row.key)) input[row.key] = form.fields[row.key];
  }
  input.customerIds = splitCustomerIds(form.extraCustomers);
  const primary = form.fields.customerId?.trim() ?? '';
  input.keyUserOf = mode === 'create' ? (form.keyUserPrimary && primary !== '' ? [primary] : []) : [...new Set(form.keyUserOf)];
  const manager = form.manager.trim();
  input.manager = manager === '' ? null : manager;
  input.validity = form.validity;
  input.language = form.language === '' ? null : form.language;
  if (form.password !== '') input.password = form.password;
  return input;
}

/** The id of the control a problem with `field` points at. */
function targetOf(field: string | null, map: FieldMap, mode: FormMode): string | null {
  if (field === null) return null;
  const head = field.split('.')[0]!;
  if (map.some((row) => row.key === head)) return `cu-${head}`;
  if (head === 'customerIds') return 'cu-extra-customers';
  if (head === 'keyUserOf') return mode === 'create' ? 'cu-key-user-primary' : 'cu-key-user-of-0';
  if (['manager', 'validity', 'language', 'password', 'confirm'].includes(head)) return `cu-${head}`;
  return null;
}

export function userFormProblem(err: LoketError, map: FieldMap, form: UserForm, mode: FormMode, t: Translate): FormProblem {
  const field = err.field ?? null;
  const message = describeRefusal(err, t, (name) => {
    const row = map.find((r) => r.key === name);
    return row ? describeMapField(row, form.fields[name] ?? '', t) : describeRelationField(name, t);
  });
  const target = targetOf(field, map, mode);
  return { field: target === null ? null : (field?.split('.')[0] ?? null), target, message };
}

export interface UserFormView {
  mode: FormMode;
  fields: FieldView[];
  form: UserForm;
  /** Checkboxes for key-user marks: the customers the form names (primary first), plus any still ticked. */
  keyUserChoices: { id: string; customerId: string; checked: boolean }[];
  problem: FormProblem | null;
}

export function userFormView(map: FieldMap, form: UserForm, mode: FormMode, problem: FormProblem | null, t: Translate): UserFormView {
  const errorOf = (key: string) => (problem?.field === key ? problem.message : null);
  const fields = map.map((row) =>
    fieldView(row, form.fields[row.key] ?? '', { t, idPrefix: 'cu', readOnly: mode === 'edit' && row.readOnly, own: false, error: errorOf(row.key) }),
  );
  const primary = form.fields.customerId?.trim() ?? '';
  const choices = [...new Set([primary, ...splitCustomerIds(form.extraCustomers), ...form.keyUserOf].filter((id) => id !== ''))];
  return {
    mode,
    fields,
    form,
    keyUserChoices: choices.map((customerId, i) => ({ id: `cu-key-user-of-${i}`, customerId, checked: form.keyUserOf.includes(customerId) })),
    problem,
  };
}
