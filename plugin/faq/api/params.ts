import type { Request } from 'express';
import type { Actor } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { validationError } from '../../errors.js';
import { wholeNumber } from './schemas.js';

/** A numeric path parameter (an article id, a version number); anything else is a 400 naming it. */
export function pathNumber(req: Request, name: 'id' | 'number'): number {
  const parsed = wholeNumber.safeParse(req.params[name]);
  if (!parsed.success) throw validationError(`${name}: expected a positive whole number`, name);
  return parsed.data;
}

/** The caller, or null for anonymous readers (public FAQ paths need no login). */
export const readerOf = (req: Request): Actor | null => req.user ?? null;

/** Staff get the editors' fields (markdown, authors, customer limits); the policy decides who that is. */
export const isStaff = (actor: Actor | null): boolean => can(actor, 'faq.read-internal');
