import type { Actor } from '../../access/actor.js';
import { LoketError } from '../../errors.js';
import { localise, type FormDefinition, type FormField } from '../definition.js';
import type { Choice, FormRun, FormsService } from '../types.js';

/** How many options a select or the target picker offers; the search box narrows beyond that. */
export const CHOICE_LIMIT = 200;

/** One field of a form as the page renders it: texts in the reader's language, options in the actor's scope. */
export interface FieldView {
  key: string;
  id: string;
  name: string;
  type: FormField['type'];
  label: string;
  help: string;
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
  options: Choice[];
  value: string;
  checked: boolean;
  error: string | null;
}

/** The control's name in the posted form: a prefix keeps field keys apart from the page's own names. */
export const fieldName = (key: string): string => `field-${key}`;

/** What the person typed or chose, by field key, as the page keeps it between attempts. */
export type TypedValues = Record<string, string>;

/** Values named in the address (`?service=IT::Email`) preselect those fields; other names are ignored. */
export function prefillFrom(definition: FormDefinition, query: Record<string, unknown>): TypedValues {
  const values: TypedValues = {};
  for (const field of definition.fields) {
    const value = query[field.key];
    if (typeof value === 'string' && value.length <= 1000) values[field.key] = value;
  }
  return values;
}

/** The posted controls of the form's fields; a checkbox is 'yes' when ticked and absent otherwise. */
export function typedFrom(definition: FormDefinition, body: Record<string, string>): TypedValues {
  const values: TypedValues = {};
  for (const field of definition.fields) {
    const value = body[fieldName(field.key)];
    if (value !== undefined) values[field.key] = value;
  }
  return values;
}

/** The engine's input: checkboxes as booleans, empty answers left out (the engine decides what is required). */
export function submittedValues(definition: FormDefinition, typed: TypedValues): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of definition.fields) {
    const value = typed[field.key];
    if (field.type === 'checkbox') values[field.key] = value === 'yes';
    else if (value !== undefined && value !== '') values[field.key] = value;
  }
  return values;
}

/** The fields with their options (each select asks the forms service: only what the actor may choose). */
export async function fieldViews(
  forms: FormsService,
  actor: Actor,
  definition: FormDefinition,
  opts: { language: string; typed: TypedValues; target?: string | undefined; errors?: Record<string, string>; idPrefix: string },
): Promise<FieldView[]> {
  return Promise.all(
    definition.fields.map(async (field) => {
      const options = field.type === 'select' ? await forms.choices(actor, definition.key, field.key, { limit: CHOICE_LIMIT, ...(opts.target !== undefined && opts.target !== '' && { target: opts.target }) }) : [];
      const value = opts.typed[field.key] ?? '';
      return {
        key: field.key,
        id: `${opts.idPrefix}-${field.key}`,
        name: fieldName(field.key),
        type: field.type,
        label: localise(field.label, opts.language),
        help: localise(field.help, opts.language),
        required: field.required,
        minLength: field.minLength ?? null,
        maxLength: field.maxLength ?? null,
        options,
        value,
        checked: value === 'yes',
        error: opts.errors?.[field.key] ?? null,
      };
    }),
  );
}

/** A run's values as people read them: the field's label and the value (checkboxes as yes/no). */
export interface ValueRow {
  label: string;
  value: string | boolean | null;
}

/**
 * The labels come from the form's definition when the reader may read it (an approver outside the
 * form's audience may not); otherwise the field keys stand in for them.
 */
export async function valueRows(forms: FormsService, actor: Actor, run: FormRun, language: string): Promise<ValueRow[]> {
  const definition = await readableDefinition(forms, actor, run.form.key);
  const labels = new Map((definition?.fields ?? []).map((f) => [f.key, localise(f.label, language)]));
  return Object.entries(run.values).map(([key, value]) => ({ label: labels.get(key) ?? key, value }));
}

async function readableDefinition(forms: FormsService, actor: Actor, key: string): Promise<FormDefinition | null> {
  try {
    return (await forms.get(actor, key)).definition;
  } catch (err) {
    if (err instanceof LoketError && err.status === 404) return null;
    throw err;
  }
}
