import type { z } from 'zod';
import { validationError } from '../errors.js';

/** Parses request input at the edge; the first problem becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : undefined;
  throw validationError(issue ? `${field ?? 'body'}: ${issue.message}` : 'Invalid input.', field);
}
