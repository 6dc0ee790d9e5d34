/**
 * Row value normalisation. Both drivers return booleans as 0/1; SQLite returns JSON as text;
 * timestamps are stored as UTC ISO-8601 strings (24 characters, sortable as text) on both dialects.
 */
export const toBool = (value: unknown): boolean => value === true || value === 1 || value === '1';

export const fromDbBool = toBool;
export const toDbBool = (value: boolean): number => (value ? 1 : 0);

export const toDbJson = (value: unknown): string => JSON.stringify(value ?? null);

export function fromDbJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  if (Buffer.isBuffer(value)) return fromDbJson(value.toString('utf8'), fallback);
  return value as T;
}

export const toDbTime = (date: Date | number = new Date()): string => new Date(date).toISOString();

export function fromDbTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Counts come back as number (SQLite), string or bigint (MySQL) depending on the expression. */
export const toCount = (value: unknown): number => Number(value ?? 0);
