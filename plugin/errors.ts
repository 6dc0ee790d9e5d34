/**
 * Domain errors. Services and stores throw these; the one error handler turns them into an HTML page
 * or the API's `{ error: { code, message, field } }`. `code` is stable (clients and translations key on it).
 */
export interface LoketErrorInit {
  status: number;
  code: string;
  message: string;
  field?: string;
  cause?: unknown;
}

export class LoketError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(init: LoketErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'LoketError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
  }
}

export const validationError = (message: string, field?: string): LoketError =>
  new LoketError({ status: 400, code: 'validation_failed', message, field });

export const unauthenticated = (message = 'Authentication required.'): LoketError =>
  new LoketError({ status: 401, code: 'unauthenticated', message });

export const forbidden = (message = 'You are not allowed to do this.'): LoketError =>
  new LoketError({ status: 403, code: 'forbidden', message });

export const notFound = (message = 'Not found.'): LoketError =>
  new LoketError({ status: 404, code: 'not_found', message });

export const conflict = (message: string, field?: string, code = 'conflict'): LoketError =>
  new LoketError({ status: 409, code, message, field });

export const ruleViolation = (message: string, field?: string, code = 'rule_violation'): LoketError =>
  new LoketError({ status: 422, code, message, field });

/** A method the resource never supports (customer users are never deleted); the route sets `Allow`. */
export const methodNotAllowed = (message: string): LoketError =>
  new LoketError({ status: 405, code: 'method_not_allowed', message });

export const tooManyRequests = (message = 'Too many attempts. Wait a while and try again.'): LoketError =>
  new LoketError({ status: 429, code: 'too_many_requests', message });

export const dependencyUnavailable = (message: string, cause?: unknown): LoketError =>
  new LoketError({ status: 503, code: 'service_unavailable', message, cause });

/** A setting that cannot work. Thrown at start-up; the message names the setting. */
export class ConfigError extends Error {
  constructor(readonly setting: string, detail: string) {
    super(`Invalid configuration: ${setting}: ${detail}`);
    this.name = 'ConfigError';
  }
}
