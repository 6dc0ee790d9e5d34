import { z } from 'zod';
import { ACTION_TYPES, FORM_KEY } from '../definition.js';

/** Request and response shapes of the forms API (the OpenAPI document is generated from them). */
export const RUN_STATES = ['awaiting-approval', 'running', 'completed', 'failed', 'rejected', 'expired', 'cancelled'] as const;

/**
 * Only `target` and `values` are read; anything else a client sends about the target (an id, a
 * customerId) is dropped unread, so a forged field can neither widen nor probe the scope.
 */
export const runSubmitSchema = z.object({
  /** The target by login (customer users) or customer ID (customers); nothing else about it counts. */
  target: z.string().trim().min(1).max(191).optional(),
  values: z.record(z.string(), z.union([z.string().max(5000), z.boolean(), z.null()])).default({}),
});

export const decisionSchema = z.strictObject({
  comment: z.string().max(2000).optional(),
  /** The run's payloadHash the decider saw; another one answers 409 payload_changed. */
  payloadHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export const searchQuerySchema = z.strictObject({ search: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const choicesQuerySchema = searchQuerySchema.extend({ target: z.string().max(191).optional() });
export const runListQuerySchema = z.strictObject({
  scope: z.enum(['mine', 'all']).default('mine'),
  state: z.enum(RUN_STATES).optional(),
  /** Only runs of this form (any version); a key like the forms' own, an unknown one answers an empty list. */
  formKey: z.string().regex(FORM_KEY, 'a form key: lower-case letters, digits and -, 2-64 characters').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  offset: z.coerce.number().int().min(0).default(0),
});
export const usableQuerySchema = z.strictObject({ category: z.enum(['self-service', 'team', 'organisation', 'helpdesk']).optional() });

export const formSummarySchema = z.object({
  key: z.string(),
  version: z.number(),
  validity: z.enum(['valid', 'invalid']),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  target: z.string(),
  needsApproval: z.boolean(),
});
export const formDetailSchema = z.object({ key: z.string(), version: z.number(), validity: z.enum(['valid', 'invalid']), updatedAt: z.string(), updatedBy: z.string(), definition: z.record(z.string(), z.unknown()) });
export const choiceSchema = z.object({ value: z.string(), label: z.string() });
const party = z.object({ kind: z.enum(['agent', 'customer-user']), id: z.number(), login: z.string(), name: z.string() });
export const approvalSchema = z.object({
  id: z.number(),
  runId: z.number(),
  step: z.number(),
  state: z.enum(['pending', 'waiting', 'approved', 'rejected', 'expired', 'superseded']),
  approver: party,
  reason: z.string(),
  payloadHash: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
});
export const runSchema = z.object({
  id: z.number(),
  form: z.object({ key: z.string(), version: z.number(), title: z.string() }),
  requester: party,
  target: z.record(z.string(), z.unknown()).nullable(),
  values: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  payloadHash: z.string(),
  state: z.enum(RUN_STATES),
  ticketNumber: z.string().nullable(),
  approvals: z.array(approvalSchema),
  actions: z.array(z.object({ index: z.number(), type: z.enum(ACTION_TYPES), description: z.string(), outcome: z.enum(['done', 'failed', 'not-run']), detail: z.string().nullable() })),
  error: z.string().nullable(),
  delegationId: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), limit: z.number() });
/** `onBehalfOf`: the approver of record the caller stands in for as holiday deputy (null: their own). */
export const myApprovalSchema = z.object({ approval: approvalSchema, run: runSchema, onBehalfOf: party.nullable() });
