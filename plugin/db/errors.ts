import { LoketError, conflict, dependencyUnavailable, ruleViolation } from '../errors.js';

/** Driver codes that mean "the database is not reachable right now" rather than "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_FULL',
]);

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code } = err;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : '';
  }
  return '';
}

/** "Another transaction won": the whole transaction may simply be run again. */
export const isDeadlock = (err: unknown): boolean => codeOf(err) === 'ER_LOCK_DEADLOCK' || codeOf(err) === 'ER_LOCK_WAIT_TIMEOUT';

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Error && err.name === 'KnexTimeoutError') return true;
  const code = codeOf(err);
  if (UNAVAILABLE_CODES.has(code)) return true;
  return [...UNAVAILABLE_CODES].some((c) => c.startsWith('SQLITE_') && code.startsWith(`${c}_`));
}

/**
 * Turns a driver error into a domain error by its code (never by message). Unknown errors are returned
 * unchanged so the error handler can log them as bugs.
 */
export function translateDbError(err: unknown, context: { field?: string; what?: string } = {}): unknown {
  if (err instanceof LoketError) return err;
  const code = codeOf(err);
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || code === 'ER_DUP_ENTRY') {
    return conflict(`${context.what ?? 'This value'} is already in use.`, context.field, 'duplicate');
  }
  if (code.startsWith('SQLITE_CONSTRAINT_FOREIGNKEY') || code.startsWith('ER_NO_REFERENCED_ROW') || code.startsWith('ER_ROW_IS_REFERENCED')) {
    return ruleViolation(`${context.what ?? 'This record'} refers to something that does not exist or is still in use.`, context.field, 'reference');
  }
  if (isDatabaseUnavailable(err)) {
    return dependencyUnavailable('The database is not reachable right now. Try again shortly.', err);
  }
  return err;
}
