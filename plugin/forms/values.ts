import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { FormAction, ValueRef } from './definition.js';
import type { Party } from './run-store.js';
import { displayName } from './scope.js';

export type RunValues = Record<string, string | boolean | null>;

export interface ResolveContext {
  runId: number | null;
  values: RunValues;
  target: CustomerUserRecord | null;
  targetCustomerId: string | null;
  requester: Party & { email: string | null };
}

function targetPart(ctx: ResolveContext, part: 'login' | 'email' | 'customerId' | 'name'): string | null {
  if (part === 'customerId') return ctx.target?.customerId ?? ctx.targetCustomerId;
  if (!ctx.target) return null;
  return part === 'name' ? displayName(ctx.target) : ctx.target[part];
}

const requesterPart = (ctx: ResolveContext, part: 'login' | 'email' | 'name'): string | null => (part === 'email' ? ctx.requester.email : ctx.requester[part]);

/** `{{field.x}}`, `{{target.login}}`, `{{requester.name}}`, `{{run.id}}` in text. */
function fill(text: string, ctx: ResolveContext): string {
  return text.replace(/\{\{\s*(field|target|requester|run)\.([A-Za-z0-9]+)\s*\}\}/g, (whole, kind: string, part: string) => {
    let value: unknown = null;
    if (kind === 'field') value = ctx.values[part];
    else if (kind === 'target' && ['login', 'email', 'customerId', 'name'].includes(part)) value = targetPart(ctx, part as 'login');
    else if (kind === 'requester' && ['login', 'email', 'name'].includes(part)) value = requesterPart(ctx, part as 'login');
    else if (kind === 'run' && part === 'id') value = ctx.runId;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  });
}

export function resolveRef(ref: ValueRef, ctx: ResolveContext): string | boolean | null {
  if (typeof ref === 'string') return fill(ref, ctx);
  if (typeof ref === 'boolean') return ref;
  if ('field' in ref) return ctx.values[ref.field] ?? null;
  if ('target' in ref) return targetPart(ctx, ref.target);
  return requesterPart(ctx, ref.requester);
}

/** An action's input with every reference resolved; empty values are left out (defaults apply). */
export function resolveInput(action: FormAction, ctx: ResolveContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(action.input)) {
    const value = resolveRef(ref, ctx);
    if (value !== null && value !== '') out[name] = value;
  }
  return out;
}
