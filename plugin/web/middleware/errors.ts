import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { translateDbError } from '../../db/errors.js';
import { LoketError, notFound } from '../../errors.js';

export const isApiRequest = (req: Request): boolean => req.path === '/api' || req.path.startsWith('/api/');

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
  expose?: unknown;
}

/** Everything thrown becomes a LoketError; anything unrecognised is a 500 and logged as a bug. */
export function toLoketError(err: unknown): LoketError {
  const translated = translateDbError(err);
  if (translated instanceof LoketError) return translated;
  const e = (err ?? {}) as HttpishError;
  if (e.code === 'EBADCSRFTOKEN') {
    return new LoketError({ status: 403, code: 'csrf_invalid', message: 'The form has expired or was not sent from Loket. Reload the page and try again.' });
  }
  if (e.type === 'entity.too.large') {
    return new LoketError({ status: 413, code: 'payload_too_large', message: 'The request body is too large.' });
  }
  if (e.type === 'entity.parse.failed' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new LoketError({ status: 400, code: 'malformed_body', message: 'The request body could not be read.' });
  }
  const status = Number(e.status ?? e.statusCode);
  if (e.expose === true && status >= 400 && status < 500) {
    return new LoketError({ status, code: 'bad_request', message: 'The request could not be processed.' });
  }
  return new LoketError({ status: 500, code: 'internal_error', message: 'Something went wrong on our side.', cause: err });
}

export const notFoundHandler: RequestHandler = () => {
  throw notFound('This page does not exist.');
};

/** One error handler: JSON for the API, a page for people; stack traces only in development. */
export function errorHandler(logger: Logger, development: boolean): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const error = toLoketError(err);
    if (error.status >= 500) logger.error({ err, path: req.path, code: error.code }, 'request failed');
    else logger.debug({ path: req.path, code: error.code, status: error.status }, 'request refused');

    res.status(error.status);
    if (error.status === 401 && isApiRequest(req)) res.setHeader('WWW-Authenticate', 'Bearer realm="loket"');
    if (error.status === 503) res.setHeader('Retry-After', '5');
    if (isApiRequest(req)) {
      res.json({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
      return;
    }
    const stack = development && error.status >= 500 && err instanceof Error ? err.stack : undefined;
    res.render('error', { status: error.status, code: error.code, message: error.message, stack }, (renderErr, html) => {
      // The error page itself failed (e.g. a broken view): fall back to plain text, never a stack.
      if (renderErr) {
        logger.error({ err: renderErr }, 'error page failed to render');
        res.type('text/plain').send(`${error.status} ${error.message}`);
        return;
      }
      res.send(html);
    });
  };
}
