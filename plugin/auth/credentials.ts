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

/** Only a path inside Loket may be a post-login target (no open redirects, no protocol-relative URLs). */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!/^\/(?![/\\])[A-Za-z0-9/_.~%?=&-]*$/.test(value)) return null;
  if (value.startsWith('/login') || value.startsWith('/logout')) return null;
  return value;
}
