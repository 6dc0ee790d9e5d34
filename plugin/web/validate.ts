import type { z } from 'zod';
import { notFound, validationError } from '../errors.js';

/** A numeric id in a path (runs, approvals, delegations, deputies); anything else names nothing: 404. */
export function pathIdOf(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,11}$/.test(value)) throw notFound(`No such ${what}.`);
  return Number(value);
}

/** Parses request input at the edge; the first problem becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : undefined;
  throw validationError(issue ? `${field ?? 'body'}: ${issue.message}` : 'Invalid input.', field);
}
