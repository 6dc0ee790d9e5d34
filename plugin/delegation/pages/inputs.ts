import { z } from 'zod';
import { formText } from '../../customers/pages/form-values.js';
import { LoketError } from '../../errors.js';
import { parseInput } from '../../web/validate.js';
import { deputyInputSchema, extendInputSchema, grantInputSchema, type DeputyInput, type ExtendInput, type GrantInput } from '../types.js';

/** A ticked checkbox sends `yes`; an unticked one sends nothing. */
const checkbox = formText(10).optional().transform((v) => v === 'yes');
const csrf = formText(200).optional();

/** The posted forms as the pages send them: every value a bounded string; the domain schemas judge the content. */
export const grantForm = z.object({
  customerId: formText(200).default(''),
  email: formText(1000).default(''),
  role: formText(40).default(''),
  endsAt: formText(100).default(''),
  openEnded: checkbox,
  reason: formText(5000).default(''),
  _csrf: csrf,
});
export type GrantForm = z.infer<typeof grantForm>;

export const extendForm = z.object({
  endsAt: formText(100).default(''),
  openEnded: checkbox,
  version: formText(12).default(''),
  _csrf: csrf,
});
export type ExtendForm = z.infer<typeof extendForm>;

export const confirmForm = z.object({ confirm: checkbox, _csrf: csrf });
export const emptyForm = z.object({ _csrf: csrf });

export const deputyForm = z.object({
  principal: formText(500).default(''),
  deputy: formText(500).default(''),
  startsAt: formText(100).default(''),
  endsAt: formText(100).default(''),
  reason: formText(5000).default(''),
  _csrf: csrf,
});
export type DeputyForm = z.infer<typeof deputyForm>;

export const customerQuery = z.object({ customerId: z.string().trim().min(1).max(150).optional().catch(undefined) });

/** An end date the person left empty without choosing "no end date": asked for, never guessed. */
const endMissing = () => new LoketError({ status: 400, code: 'end_missing', message: 'Give an end date, or choose no end date.', field: 'endsAt' });

export function grantInputOf(form: GrantForm): GrantInput {
  const endsAt = form.endsAt.trim();
  if (!form.openEnded && endsAt === '') throw endMissing();
  return parseInput(grantInputSchema, { customerId: form.customerId, email: form.email, role: form.role, endsAt: form.openEnded ? null : endsAt, reason: form.reason });
}

export function extendInputOf(form: ExtendForm): ExtendInput {
  const endsAt = form.endsAt.trim();
  if (!form.openEnded && endsAt === '') throw endMissing();
  const version = /^[1-9]\d{0,11}$/.test(form.version) ? Number(form.version) : undefined;
  return parseInput(extendInputSchema, { endsAt: form.openEnded ? null : endsAt, ...(version !== undefined && { version }) });
}

export function deputyInputOf(form: DeputyForm): DeputyInput {
  const principal = form.principal.trim();
  const startsAt = form.startsAt.trim();
  return parseInput(deputyInputSchema, {
    ...(principal !== '' && { principal }),
    deputy: form.deputy,
    ...(startsAt !== '' && { startsAt }),
    endsAt: form.endsAt,
    reason: form.reason,
  });
}


/** `YYYY-MM-DD`, `days` after `from` (UTC): the date fields' defaults. */
export const dateAfter = (days: number, from = new Date()): string => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
