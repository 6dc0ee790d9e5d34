import type { CustomerUserRecord } from '../customers/backends/backend.js';
import { LoketError, validationError } from '../errors.js';
import { localise, type FormDefinition, type FormField } from './definition.js';
import type { Choice } from './types.js';
import type { RunValues } from './values.js';

const checkFailed = (message: string, field?: string): LoketError => new LoketError({ status: 422, code: 'check_failed', message, ...(field !== undefined && { field }) });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The submitted values checked against the stored definition: unknown fields, types, required, length,
 * pattern, and select values among the actor's own choices (asked through `choicesOf`). 400 names the field.
 */
export async function checkValues(form: FormDefinition, raw: Record<string, unknown>, language: string | null, choicesOf: (field: FormField) => Promise<Choice[]>): Promise<RunValues> {
  const known = new Set(form.fields.map((f) => f.key));
  const unknown = Object.keys(raw).find((k) => !known.has(k));
  if (unknown !== undefined) throw validationError(`${unknown}: not a field of this form.`, unknown);
  const values: RunValues = {};
  for (const field of form.fields) {
    const label = localise(field.label, language);
    const value = raw[field.key];
    if (field.type === 'checkbox') {
      if (value !== undefined && typeof value !== 'boolean' && value !== 'on' && value !== 'true' && value !== 'false') throw validationError(`${field.key}: ${label} is a yes/no value.`, field.key);
      const checked = value === true || value === 'on' || value === 'true';
      if (field.required && !checked) throw validationError(`${field.key}: ${label} must be ticked.`, field.key);
      values[field.key] = checked;
      continue;
    }
    if (value !== undefined && value !== null && typeof value !== 'string') throw validationError(`${field.key}: ${label} must be text.`, field.key);
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (field.required) throw validationError(`${field.key}: ${label} is required.`, field.key);
      values[field.key] = null;
      continue;
    }
    if (field.minLength !== undefined && text.length < field.minLength) throw validationError(`${field.key}: ${label} needs at least ${field.minLength} characters.`, field.key);
    const max = field.maxLength ?? (field.type === 'textarea' ? 5000 : 500);
    if (text.length > max) throw validationError(`${field.key}: ${label} holds at most ${max} characters.`, field.key);
    if (field.type === 'email' && !EMAIL.test(text)) throw validationError(`${field.key}: ${label} is not an e-mail address.`, field.key);
    if (field.type === 'date' && (!DATE.test(text) || Number.isNaN(Date.parse(text)))) throw validationError(`${field.key}: ${label} is not a date (YYYY-MM-DD).`, field.key);
    if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`, 'u').test(text)) throw validationError(`${field.key}: ${label} does not have the expected form.`, field.key);
    if (field.type === 'select' && !(await choicesOf(field)).some((c) => c.value === text)) throw validationError(`${field.key}: ${text} is not one of your choices for ${label}.`, field.key);
    values[field.key] = text;
  }
  return values;
}

export interface CriteriaDeps {
  entitledServices(user: CustomerUserRecord): Promise<string[]>;
  permissionIndexFor(user: CustomerUserRecord): Promise<Record<string, string[]>>;
  loginTaken(login: string): Promise<boolean>;
}

/** The form's checks, on the stored target; a failing one answers 422 check_failed naming it. */
export async function checkCriteria(form: FormDefinition, values: RunValues, target: CustomerUserRecord | null, deps: CriteriaDeps): Promise<void> {
  for (const criterion of form.criteria) {
    switch (criterion.check) {
      case 'target-valid':
        if (target && target.validity !== 'valid') throw checkFailed(`target-valid: ${target.login} is not valid.`, 'target');
        break;
      case 'target-invalid':
        if (target?.validity === 'valid') throw checkFailed(`target-invalid: ${target.login} is valid.`, 'target');
        break;
      case 'service-not-entitled': {
        const service = values[criterion.field];
        if (target && typeof service === 'string' && (await deps.entitledServices(target)).includes(service)) {
          throw checkFailed(`service-not-entitled: ${target.login} has ${service} already.`, criterion.field);
        }
        break;
      }
      case 'group-not-held': {
        const group = values[criterion.field];
        if (target && typeof group === 'string') {
          const held = (await deps.permissionIndexFor(target))[group] ?? [];
          if (held.includes(criterion.permission)) throw checkFailed(`group-not-held: ${target.login} holds ${criterion.permission} in ${group} already.`, criterion.field);
        }
        break;
      }
      case 'login-free': {
        const login = values[criterion.field];
        if (typeof login === 'string' && (await deps.loginTaken(login.toLowerCase()))) throw checkFailed(`login-free: ${login} is taken.`, criterion.field);
        break;
      }
    }
  }
}
