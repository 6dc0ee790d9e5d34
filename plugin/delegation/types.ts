import { z } from 'zod';

export const DELEGATION_ROLES = ['customer', 'key-user'] as const;
export type DelegationRole = (typeof DELEGATION_ROLES)[number];

/** active: usable now; scheduled: starts later; expired: its end passed; revoked: a key user ended it. */
export type DelegationStatus = 'active' | 'scheduled' | 'expired' | 'revoked';

export interface Delegation {
  id: number;
  customerId: string;
  email: string;
  role: DelegationRole;
  startsAt: string;
  /** null: open-ended (shown as such and listed for periodic review). */
  endsAt: string | null;
  reason: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  /** Last time a key user confirmed an open-ended delegation is still needed. */
  reviewedAt: string | null;
  version: number;
}

export interface DelegationView extends Delegation {
  status: DelegationStatus;
  customerName: string;
  /** Open-ended and not confirmed for REVIEW_DAYS: shown on the key users' list for review. */
  needsReview: boolean;
}

export type DeputyStatus = 'active' | 'scheduled' | 'ended' | 'revoked';

export interface PersonRef {
  id: number;
  login: string;
  name: string;
}

export interface Deputy {
  id: number;
  customerId: string;
  principal: PersonRef;
  deputy: PersonRef;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface DeputyView extends Deputy {
  status: DeputyStatus;
}

/** One row of the usage report: delegated activity counted to the organisation it happened in. */
export interface UsageRow {
  delegationId: number;
  email: string;
  role: DelegationRole;
  switchesIn: number;
  ticketsFiled: number;
  messagesWritten: number;
  formRuns: number;
  auditedChanges: number;
  lastActivityAt: string | null;
}

export const REVIEW_DAYS = 90;
export const DEFAULT_DAYS = 7;

const isoDate = z
  .string()
  .trim()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Give a date (YYYY-MM-DD) or a date and time (ISO 8601).');

export const grantInputSchema = z.strictObject({
  customerId: z.string().trim().min(1).max(150),
  email: z.string().trim().toLowerCase().max(254).email('Give an e-mail address.'),
  role: z.enum(DELEGATION_ROLES),
  /** Absent: now + 7 days; null: open-ended. */
  endsAt: isoDate.nullable().optional(),
  reason: z.string().trim().min(1, 'Say why this delegation is needed.').max(500),
});
export type GrantInput = z.infer<typeof grantInputSchema>;

export const extendInputSchema = z.strictObject({
  endsAt: isoDate.nullable(),
  version: z.number().int().positive().optional(),
});
export type ExtendInput = z.infer<typeof extendInputSchema>;

export const deputyInputSchema = z.strictObject({
  /** The person away: omitted = the signed-in key user or manager themself. */
  principal: z.string().trim().min(1).max(191).optional(),
  deputy: z.string().trim().min(1).max(191),
  startsAt: isoDate.optional(),
  endsAt: isoDate,
  reason: z.string().trim().max(500).default(''),
});
export type DeputyInput = z.infer<typeof deputyInputSchema>;

/** A date without a time ends at the end of that day (UTC): "until Friday" includes Friday. */
export function endOf(input: string): string {
  const trimmed = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return new Date(`${trimmed}T23:59:59.999Z`).toISOString();
  return new Date(trimmed).toISOString();
}

export function startOf(input: string): string {
  return new Date(input.trim()).toISOString();
}

export function delegationStatus(d: Pick<Delegation, 'startsAt' | 'endsAt' | 'revokedAt'>, now: string): DelegationStatus {
  if (d.revokedAt !== null) return 'revoked';
  if (d.endsAt !== null && d.endsAt <= now) return 'expired';
  if (d.startsAt > now) return 'scheduled';
  return 'active';
}

export function deputyStatus(d: Pick<Deputy, 'startsAt' | 'endsAt' | 'revokedAt'>, now: string): DeputyStatus {
  if (d.revokedAt !== null) return 'revoked';
  if (d.endsAt <= now) return 'ended';
  if (d.startsAt > now) return 'scheduled';
  return 'active';
}
