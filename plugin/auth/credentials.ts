import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

/** Login form body. Strings only: an array or object in any field is a 400, not a lookup. */
export const credentialsSchema = z.object({
  login: z.string().trim().min(1).max(191),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  returnTo: z.string().max(2000).optional(),
  _csrf: z.string().max(200).optional(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** A path inside Loket, or null: no other hosts, no protocol-relative URLs, no schemes (open redirects). */
export function safeLocalPath(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return /^\/(?![/\\])[A-Za-z0-9/_.~%?=&-]*$/.test(value) ? value : null;
}

/** Where to go after signing in: a local path that is not the login or logout page itself. */
export function safeReturnPath(value: unknown): string | null {
  const path = safeLocalPath(value);
  return path && !path.startsWith('/login') && !path.startsWith('/logout') ? path : null;
}
