import { ACTION_TYPES, AUDIENCES, approverSchema, criterionSchema, DATA_SOURCES, fieldSchema, TARGETS, type FormDefinitionInput } from '../definition.js';

/**
 * What the editor shows beside the JSON: the vocabulary of a definition, read from the schema itself
 * (definition.ts), so the summary never drifts from what `forms.save` accepts.
 */
export const schemaSummary = () => ({
  categories: ['self-service', 'team', 'organisation', 'helpdesk'],
  audiences: [...AUDIENCES],
  targets: [...TARGETS],
  fieldTypes: [...fieldSchema.shape.type.options],
  dataSources: [...DATA_SOURCES],
  actionTypes: [...ACTION_TYPES],
  approverKinds: approverSchema.options.map((o) => o.shape.kind.value),
  criteria: criterionSchema.options.map((o) => o.shape.check.value),
});

/** A starting point for a new form: a valid helpdesk-free request form an admin edits from. */
export const newFormTemplate = (queue: string): FormDefinitionInput => ({
  key: 'new-form',
  title: { en: 'New form' },
  description: { en: 'What this form is for.' },
  category: 'self-service',
  audience: ['customer'],
  target: 'self',
  fields: [{ key: 'details', label: { en: 'Details' }, type: 'textarea', required: true, maxLength: 2000 }],
  criteria: [],
  actions: [],
  approval: null,
  ticket: { queue, priority: 'normal' },
});

export const asJson = (value: unknown): string => JSON.stringify(value, null, 2);

/** The key a posted definition names, when it is a JSON object with a string key. */
export function keyOfPosted(parsed: unknown): string | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const key = (parsed as Record<string, unknown>).key;
  return typeof key === 'string' ? key : null;
}
