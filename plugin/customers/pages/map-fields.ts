import { isBuiltIn, linkFor, type FieldMapRow, type FieldValues } from '../field-map.js';
import type { Translate } from './form-errors.js';

/** The map's default length limit for a field without `maxLength` (field-map.ts checks the same). */
const DEFAULT_MAX_LENGTH = 191;
/** Longer fields get a text area instead of a one-line input. */
const TEXTAREA_FROM = 500;

/**
 * A field's label: what the admin wrote in the map, or for a built-in field left without one, its name
 * in the reader's language. Admin-written labels are shown as written (and escaped by the view).
 */
export function labelOf(row: FieldMapRow, t: Translate): string {
  if (row.label) return row.label;
  return isBuiltIn(row.key) ? t(`customerFields.${row.key}`) : row.key;
}

export type Control = 'text' | 'email' | 'number' | 'date' | 'select' | 'textarea';

export function controlOf(row: FieldMapRow): Control {
  switch (row.type) {
    case 'email':
      return 'email';
    case 'int':
      return 'number';
    case 'date':
      return 'date';
    case 'select':
      return 'select';
    default:
      return (row.maxLength ?? DEFAULT_MAX_LENGTH) > TEXTAREA_FROM ? 'textarea' : 'text';
  }
}

/** Input purposes (WCAG 1.3.5) for a person's own data; forms about somebody else switch autofill off. */
const OWN_AUTOCOMPLETE: Record<string, string> = {
  title: 'honorific-prefix',
  firstName: 'given-name',
  lastName: 'family-name',
  email: 'email',
  login: 'username',
  phone: 'tel',
  mobile: 'tel',
  street: 'street-address',
  zip: 'postal-code',
  city: 'address-level2',
  country: 'country-name',
};

export interface FieldView {
  key: string;
  id: string;
  label: string;
  control: Control;
  required: boolean;
  readOnly: boolean;
  options: string[];
  value: string;
  maxLength: number;
  autocomplete: string;
  error: string | null;
}

export const textOf = (value: FieldValues[string] | undefined): string => (value === null || value === undefined ? '' : String(value));

/** One map row as a form control, with the value to show and the error that belongs to it. */
export function fieldView(
  row: FieldMapRow,
  value: string,
  opts: { t: Translate; idPrefix: string; readOnly: boolean; own: boolean; error: string | null },
): FieldView {
  return {
    key: row.key,
    id: `${opts.idPrefix}-${row.key}`,
    label: labelOf(row, opts.t),
    control: controlOf(row),
    required: row.required,
    readOnly: opts.readOnly,
    options: row.options ?? [],
    value,
    maxLength: row.maxLength ?? DEFAULT_MAX_LENGTH,
    autocomplete: opts.own ? (OWN_AUTOCOMPLETE[row.key] ?? 'on') : 'off',
    error: opts.error,
  };
}

/** A translated explanation of why a map field's value was refused, judged from the row and the value. */
export function describeMapField(row: FieldMapRow, value: string, t: Translate): string | null {
  const label = labelOf(row, t);
  const trimmed = value.trim();
  if (trimmed === '') return row.required ? t('formErrors.required', { label }) : null;
  const max = row.maxLength ?? DEFAULT_MAX_LENGTH;
  if (trimmed.length > max) return t('formErrors.tooLong', { label, max });
  if (row.key === 'login') return t('formErrors.login');
  switch (row.type) {
    case 'int':
      return t('formErrors.int', { label });
    case 'date':
      return t('formErrors.date', { label });
    case 'email':
      return t('formErrors.email', { label });
    case 'select':
      return t('formErrors.select', { label, options: (row.options ?? []).join(', ') });
    default:
      return row.key === 'customerId' ? t('formErrors.customerId') : null;
  }
}

export interface CellView {
  text: string;
  href: string | null;
}

/** A value for display: text, and a link only when the row's template yields a safe scheme (linkFor). */
export const cellOf = (row: FieldMapRow, fields: FieldValues): CellView => ({ text: textOf(fields[row.key]), href: linkFor(row, fields) });
