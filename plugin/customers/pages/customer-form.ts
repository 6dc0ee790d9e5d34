import { z } from 'zod';
import type { LoketError } from '../../errors.js';
import type { Customer, NewCustomerInput, CustomerPatch } from '../schema.js';
import { VALIDITIES } from '../schema.js';
import { describeRefusal, type FormProblem, type Translate } from './form-errors.js';
import { formText } from './form-values.js';

export const CUSTOMER_FIELDS = ['customerId', 'name', 'street', 'zip', 'city', 'country', 'url', 'comment'] as const;
type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** The limits schema.ts enforces, to explain a refusal in the reader's language. */
const MAX_LENGTH: Record<CustomerField, number> = { customerId: 150, name: 191, street: 191, zip: 32, city: 191, country: 100, url: 500, comment: 5000 };
const REQUIRED = new Set<string>(['customerId', 'name']);

/** The customer form as typed; the service checks the values, the edge only that each is one string. */
export const customerForm = z.object({
  customerId: formText(1000).default(''),
  name: formText(1000).default(''),
  street: formText(1000).default(''),
  zip: formText(1000).default(''),
  city: formText(1000).default(''),
  country: formText(1000).default(''),
  url: formText(2000).default(''),
  comment: formText(20_000).default(''),
  validity: z.enum(VALIDITIES).default('valid'),
  version: z.string().regex(/^\d{1,12}$/).transform(Number).optional(),
});
export type CustomerForm = z.output<typeof customerForm>;

export const emptyCustomerForm = (): CustomerForm => customerForm.parse({});

export const customerFormOf = (c: Customer): CustomerForm => ({
  customerId: c.customerId,
  name: c.name,
  street: c.street,
  zip: c.zip,
  city: c.city,
  country: c.country,
  url: c.url,
  comment: c.comment,
  validity: c.validity,
  version: c.version,
});

export const newCustomerInput = (f: CustomerForm): NewCustomerInput => ({
  customerId: f.customerId,
  name: f.name,
  street: f.street,
  zip: f.zip,
  city: f.city,
  country: f.country,
  url: f.url.trim(),
  comment: f.comment,
  validity: f.validity,
});

/** The customer ID is the customer's name in every link and relation: it does not change. */
export const customerPatchOf = (f: CustomerForm): CustomerPatch => {
  const { customerId: _fixed, url, ...rest } = f;
  return { ...rest, url: url.trim() };
};

export const customerLabel = (field: string, t: Translate): string => t(`customersPage.fields.${field}`);

function describeCustomerField(field: string, form: CustomerForm, t: Translate): string | null {
  if (!(CUSTOMER_FIELDS as readonly string[]).includes(field)) return null;
  const name = field as CustomerField;
  const label = customerLabel(name, t);
  const value = form[name].trim();
  if (value === '') return REQUIRED.has(name) ? t('formErrors.required', { label }) : null;
  if (value.length > MAX_LENGTH[name]) return t('formErrors.tooLong', { label, max: MAX_LENGTH[name] });
  if (name === 'url') return t('formErrors.url');
  if (name === 'customerId') return t('formErrors.customerId');
  return null;
}

export function customerFormProblem(err: LoketError, form: CustomerForm, t: Translate): FormProblem {
  const field = err.field && (CUSTOMER_FIELDS as readonly string[]).includes(err.field) ? err.field : null;
  return { field, target: field === null ? null : `c-${field}`, message: describeRefusal(err, t, (f) => describeCustomerField(f, form, t)) };
}
