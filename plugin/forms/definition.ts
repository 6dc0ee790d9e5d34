import { z } from 'zod';

/**
 * A delegated form's definition (HelloID's delegated form + approval workflow, OTOBO's customer process):
 * who may use it, on what target, which fields, which checks, which actions in which order, and who must
 * approve. Stored as JSON, versioned on every save; a run keeps the version it was submitted with.
 * This schema is the contract between the admin editor, the API, the run engine and the shipped forms.
 */

export const LANGUAGES = ['en', 'nl', 'nb'] as const;
const text = (max: number) => z.string().trim().min(1).max(max);
/** Text per language; English is required (the fallback). */
export const localisedSchema = (max: number) => z.strictObject({ en: text(max), nl: text(max).optional(), nb: text(max).optional() });
export type Localised = z.output<ReturnType<typeof localisedSchema>>;

export const FORM_KEY = /^[a-z][a-z0-9-]{1,63}$/;
const fieldKey = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'camelCase letters and digits');

/** Who may use a form. Agents additionally need `agentGroups` (rw in one of them) when it is given. */
export const AUDIENCES = ['agent', 'key-user', 'manager', 'customer'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * What a run acts on. The scope follows from the requester's role: agents → customer users who hold a
 * permission in one of the form's agent groups; key users → users of the customers they are key user
 * of; managers → their direct reports; customers → themselves. `self` is always the requester.
 */
export const TARGETS = ['customer-user', 'customer', 'self', 'none'] as const;
export type TargetKind = (typeof TARGETS)[number];

export const DATA_SOURCES = ['groups', 'services', 'customers', 'customer-users', 'static'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

export const fieldSchema = z
  .strictObject({
    key: fieldKey,
    label: localisedSchema(100),
    help: localisedSchema(500).optional(),
    type: z.enum(['text', 'email', 'date', 'checkbox', 'textarea', 'select']),
    required: z.boolean().default(false),
    minLength: z.number().int().min(0).max(5000).optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
    /** A regular expression the whole value must match (anchored by the engine). */
    pattern: z.string().max(200).optional(),
    /** Selects only: where the options come from; always filtered to what the requester may see. */
    source: z.enum(DATA_SOURCES).optional(),
    options: z.array(z.strictObject({ value: text(191), label: localisedSchema(100) })).max(200).optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type === 'select' && !field.source) ctx.addIssue({ code: 'custom', path: ['source'], message: 'a select needs a data source' });
    if (field.source === 'static' && !field.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a static list needs options' });
    if (field.pattern !== undefined) {
      try {
        new RegExp(field.pattern, 'u');
      } catch {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'not a valid regular expression' });
      }
    }
  });
export type FormField = z.output<typeof fieldSchema>;

/**
 * A value in an action's input: a literal, or a reference to a field (`{ "field": "service" }`), the
 * target (`{ "target": "login" }`) or the requester (`{ "requester": "login" }`). Text may hold
 * `{{field.x}}`, `{{target.login}}`, `{{requester.name}}`, `{{run.id}}` placeholders.
 */
export const valueRefSchema = z.union([
  z.string().max(5000),
  z.boolean(),
  z.strictObject({ field: fieldKey }),
  z.strictObject({ target: z.enum(['login', 'email', 'customerId', 'name']) }),
  z.strictObject({ requester: z.enum(['login', 'email', 'name']) }),
]);
export type ValueRef = z.output<typeof valueRefSchema>;

export const ACTION_TYPES = [
  'create-customer-user',
  'update-fields',
  'set-validity',
  'send-password-link',
  'link-customer',
  'unlink-customer',
  'grant-group',
  'revoke-group',
  'assign-service',
  'unassign-service',
  'create-ticket',
  'send-email',
  'webhook',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** An ordered action: its type and its input as value references; each action module checks its own input. */
export const actionSchema = z.strictObject({
  type: z.enum(ACTION_TYPES),
  input: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/), valueRefSchema).default({}),
});
export type FormAction = z.output<typeof actionSchema>;

/** Checks before a run is accepted (a failing check answers 422 naming it). */
export const criterionSchema = z.union([
  z.strictObject({ check: z.literal('target-valid') }),
  z.strictObject({ check: z.literal('target-invalid') }),
  z.strictObject({ check: z.literal('service-not-entitled'), field: fieldKey }),
  z.strictObject({ check: z.literal('group-not-held'), field: fieldKey, permission: z.string().min(1).max(32) }),
  z.strictObject({ check: z.literal('login-free'), field: fieldKey }),
]);
export type Criterion = z.output<typeof criterionSchema>;

export const approverSchema = z.union([
  z.strictObject({ kind: z.literal('manager-of-target') }),
  z.strictObject({ kind: z.literal('manager-of-requester') }),
  z.strictObject({ kind: z.literal('key-users-of-target-customer') }),
  z.strictObject({ kind: z.literal('agents-in-group'), group: z.string().trim().min(1).max(191) }),
]);
export type ApproverRule = z.output<typeof approverSchema>;

/** Steps run in sequence; within a step, `any` one approver or `all` of them decide. */
export const approvalSchema = z.strictObject({
  steps: z.array(z.strictObject({ approvers: z.array(approverSchema).min(1).max(5), mode: z.enum(['any', 'all']).default('any') })).min(1).max(5),
  expiresHours: z.number().int().min(1).max(24 * 60).default(72),
  /** A reminder goes to pending approvers this many hours before expiry (0: none). */
  remindHoursBefore: z.number().int().min(0).max(24 * 30).default(24),
});
export type ApprovalPolicy = z.output<typeof approvalSchema>;

export const formDefinitionSchema = z
  .strictObject({
    key: z.string().regex(FORM_KEY, 'lower-case letters, digits and -'),
    title: localisedSchema(150),
    description: localisedSchema(2000).optional(),
    /** Where it is offered in the portal: the self-service catalogue, "My team", "Our organisation", the agent area. */
    category: z.enum(['self-service', 'team', 'organisation', 'helpdesk']),
    audience: z.array(z.enum(AUDIENCES)).min(1),
    agentGroups: z.array(z.string().trim().min(1).max(191)).max(20).default([]),
    target: z.enum(TARGETS),
    fields: z.array(fieldSchema).max(40).default([]),
    criteria: z.array(criterionSchema).max(10).default([]),
    actions: z.array(actionSchema).max(20).default([]),
    approval: approvalSchema.nullable().default(null),
    /** The request ticket every run leaves: its queue (by name) and priority. */
    ticket: z.strictObject({ queue: z.string().trim().min(1).max(191), priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal') }),
  })
  .superRefine((form, ctx) => {
    const keys = new Set<string>();
    form.fields.forEach((f, i) => {
      if (keys.has(f.key)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `${f.key} appears twice` });
      keys.add(f.key);
    });
    const refs = (value: unknown): string[] => (typeof value === 'object' && value !== null && 'field' in value ? [String((value as { field: string }).field)] : []);
    form.actions.forEach((a, i) => {
      for (const [name, value] of Object.entries(a.input)) {
        for (const ref of refs(value)) if (!keys.has(ref)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'input', name], message: `no field ${ref}` });
      }
    });
    form.criteria.forEach((c, i) => {
      if ('field' in c && !keys.has(c.field)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'field'], message: `no field ${c.field}` });
    });
    if (form.audience.includes('customer') && form.target !== 'self' && form.target !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a form for customers themselves acts on themselves (target self or none)' });
    }
    if (form.target === 'customer' && form.audience.some((a) => a !== 'key-user')) {
      // The request ticket belongs to a customer user: for a whole customer that is the key user asking.
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a form on a whole customer is for key users' });
    }
    if (form.audience.includes('agent') && !form.agentGroups.length) {
      ctx.addIssue({ code: 'custom', path: ['agentGroups'], message: 'a helpdesk form names the agent groups whose customer users it reaches' });
    }
  });
export type FormDefinition = z.output<typeof formDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof formDefinitionSchema>;

/** A localised text in the reader's language, English when missing. */
export const localise = (value: Localised | undefined, language: string | null | undefined): string =>
  value ? ((value as Record<string, string | undefined>)[language ?? 'en'] ?? value.en) : '';
