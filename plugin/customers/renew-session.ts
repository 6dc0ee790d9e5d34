import type { Request } from 'express';
import type { Actor } from '../access/actor.js';

/**
 * After a password change the asking session goes on under a new id (SECURITY.md, Sessions), while the
 * old id, like every other session of the person, is gone. It keeps its login time: changing the
 * password does not stretch the absolute session lifetime. A Bearer-token call has no session to renew.
 */
export function renewSession(req: Request, actor: Actor): Promise<void> {
  if (actor.authenticatedBy !== 'session' || !req.session) return Promise.resolve();
  const { loginAt } = req.session;
  return new Promise((resolve, reject) => {
    // passport regenerates the session in logIn, as it does at sign-in.
    req.logIn(actor, (err?: unknown) => {
      if (err) {
        reject(err instanceof Error ? err : new Error('The session could not be renewed.'));
        return;
      }
      req.session.loginAt = loginAt;
      resolve();
    });
  });
}
