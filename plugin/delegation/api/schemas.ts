import { z } from 'zod';
import { DELEGATION_ROLES, type DelegationView, type DeputyView, type UsageRow } from '../types.js';

/** Query strings, and the answers of the delegation and deputy API (the OpenAPI document is generated from them). */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** A customer ID from the query string, taken exactly as sent; a repeated parameter (an array) is refused. */
const customerIdQuery = z.string().min(1).max(150);

const isoDateQuery = z
  .string()
  .trim()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Give a date (YYYY-MM-DD) or a date and time (ISO 8601).');

export const delegationListQuerySchema = z.object({
  /** One customer's delegations (its key users; admins). */
  customerId: z.preprocess(emptyToUndefined, customerIdQuery.optional()),
  /** managed: of the customers the caller manages (or customerId); mine: granted to the caller's address; absent: both. */
  scope: z.preprocess(emptyToUndefined, z.enum(['managed', 'mine']).optional()),
});

export const usageQuerySchema = z.object({
  customerId: customerIdQuery,
  /** Default: 30 days ago. */
  since: z.preprocess(emptyToUndefined, isoDateQuery.optional()),
});

export const deputyListQuerySchema = z.object({
  customerId: z.preprocess(emptyToUndefined, customerIdQuery.optional()),
});

const time = z.string().describe('UTC, ISO 8601');

export const delegationViewSchema = z.object({
  id: z.number().int(),
  customerId: z.string(),
  customerName: z.string(),
  email: z.string(),
  role: z.enum(DELEGATION_ROLES),
  status: z.enum(['active', 'scheduled', 'expired', 'revoked']),
  startsAt: time,
  endsAt: time.nullable().describe('null: open-ended (listed for periodic review)'),
  needsReview: z.boolean().describe('Open-ended and not confirmed for 90 days'),
  reason: z.string(),
  createdAt: time,
  createdBy: z.string().describe('Login of the key user who granted it'),
  updatedAt: time,
  revokedAt: time.nullable(),
  revokedBy: z.string().nullable(),
  reviewedAt: time.nullable(),
  version: z.number().int().describe('For If-Match (or version in the body) on PATCH'),
});
export type DelegationResponse = z.infer<typeof delegationViewSchema>;

export const presentDelegation = (d: DelegationView): DelegationResponse => ({
  id: d.id,
  customerId: d.customerId,
  customerName: d.customerName,
  email: d.email,
  role: d.role,
  status: d.status,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  needsReview: d.needsReview,
  reason: d.reason,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  updatedAt: d.updatedAt,
  revokedAt: d.revokedAt,
  revokedBy: d.revokedBy,
  reviewedAt: d.reviewedAt,
  version: d.version,
});

const person = z.object({ login: z.string(), name: z.string() });

export const deputyViewSchema = z.object({
  id: z.number().int(),
  customerId: z.string(),
  principal: person.describe('The person away (key user or manager)'),
  deputy: person.describe('The colleague standing in'),
  status: z.enum(['active', 'scheduled', 'ended', 'revoked']),
  startsAt: time,
  endsAt: time,
  reason: z.string(),
  createdAt: time,
  createdBy: z.string(),
  revokedAt: time.nullable(),
  revokedBy: z.string().nullable(),
});
export type DeputyResponse = z.infer<typeof deputyViewSchema>;

/** People by login and name; internal user ids stay inside. */
export const presentDeputy = (d: DeputyView): DeputyResponse => ({
  id: d.id,
  customerId: d.customerId,
  principal: { login: d.principal.login, name: d.principal.name },
  deputy: { login: d.deputy.login, name: d.deputy.name },
  status: d.status,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  reason: d.reason,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  revokedAt: d.revokedAt,
  revokedBy: d.revokedBy,
});

export const usageRowSchema = z.object({
  delegationId: z.number().int(),
  email: z.string(),
  role: z.enum(DELEGATION_ROLES),
  switchesIn: z.number().int(),
  ticketsFiled: z.number().int(),
  messagesWritten: z.number().int(),
  formRuns: z.number().int(),
  auditedChanges: z.number().int(),
  lastActivityAt: time.nullable(),
});

export const usageReportSchema = z.object({
  customerId: z.string(),
  since: time,
  items: z.array(usageRowSchema),
  total: z.number().int(),
});

export const presentUsage = (report: { customerId: string; since: string; rows: UsageRow[] }): z.infer<typeof usageReportSchema> => ({
  customerId: report.customerId,
  since: report.since,
  items: report.rows.map((r) => ({ ...r })),
  total: report.rows.length,
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), limit: z.number() });
