import type { RequestHandler } from 'express';
import { LoketError } from '../../errors.js';

const SECRET_PARAMS = ['password', 'passwd', 'pass', 'token', 'access_token', 'api_key', 'apikey', 'secret'];

/**
 * Credentials in a URL end up in logs, history and Referer headers. Such a request is refused
 * before anything looks at it (SECURITY.md: only POST bodies carry credentials).
 */
export const refuseCredentialsInQuery: RequestHandler = (req, _res, next) => {
  const keys = Object.keys(req.query).map((k) => k.toLowerCase());
  const offending = keys.find((k) => SECRET_PARAMS.includes(k));
  if (offending) {
    next(
      new LoketError({
        status: 400,
        code: 'credentials_in_query',
        message: 'Credentials must be sent in the request body, never in the URL.',
        field: offending,
      }),
    );
    return;
  }
  next();
};
