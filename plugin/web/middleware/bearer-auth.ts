import type { RequestHandler } from 'express';
import type { ActorResolver } from '../../auth/actors.js';
import type { ApiTokenService } from '../../auth/api-token-service.js';
import { unauthenticated } from '../../errors.js';

/**
 * API requests with an Authorization header are judged by that header alone: a wrong or malformed token
 * is a 401 even if a session cookie came along.
 */
export function bearerAuth(deps: { apiTokens: ApiTokenService; actors: ActorResolver }): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      next();
      return;
    }
    const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
    if (!match?.[1]) throw unauthenticated('Send the API token as "Authorization: Bearer <token>".');
    const principal = await deps.apiTokens.authenticate(match[1]);
    const actor = principal ? await deps.actors.resolve(principal, 'token') : null;
    if (!actor) throw unauthenticated('The API token is not valid.');
    req.user = actor;
    next();
  };
}
