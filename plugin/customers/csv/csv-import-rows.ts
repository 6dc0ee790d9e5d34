import { loginSchema } from '../../agents/schema.js';
import { validationError } from '../../errors.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import type { ParsedWrite, Relations } from '../customer-user-input.js';
import type { FieldMap, FieldValues } from '../field-map.js';
import { RELATION_COLUMNS } from './csv-export.js';
import { restoreCell, splitList } from './csv-format.js';

/** Columns an import may carry: the map's keys, the exported relations, and a write-only password. */
export const IMPORT_EXTRA_COLUMNS: readonly string[] = [...RELATION_COLUMNS, 'password'];

/** The header must name known columns, each once, and a login (the key that decides create or update). */
export function checkHeader(map: FieldMap, header: string[]): string[] {
  const known = new Set([...map.map((row) => row.key), ...IMPORT_EXTRA_COLUMNS]);
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw validationError(`Column ${i + 1} has no name in the header row.`, 'header');
    if (!known.has(name)) throw validationError(`${name}: not a customer-user column. Known columns: ${[...known].join(', ')}.`, name);
    if (seen.has(name)) throw validationError(`${name}: this column appears twice in the header row.`, name);
    seen.add(name);
  });
  if (!seen.has('login')) throw validationError('The file needs a login column: it decides whether a row creates or updates a user.', 'login');
  return header;
}

/** The row's login, normalised as the services store it; a bad one is that row's error. */
export function loginOf(columns: string[], cells: string[]): string {
  const raw = restoreCell(cells[columns.indexOf('login')] ?? '').trim();
  if (raw === '') throw validationError('login is required.', 'login');
  const parsed = loginSchema.safeParse(raw);
  if (!parsed.success) throw validationError(`login: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'login');
  return parsed.data;
}

/**
 * A row as a customer-user write. Empty cells: on a create they are left out (defaults apply); on an
 * update an empty map field or relation list clears it (a required field then fails, naming it), and
 * an empty validity or password leaves it unchanged. Columns that are absent are never touched.
 */
export function inputOf(columns: string[], cells: string[], isUpdate: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    if (column === 'login') return;
    const cell = restoreCell(cells[i] ?? '');
    const empty = cell.trim() === '';
    if (column === 'validity' || column === 'password') {
      // A password is taken as typed: spaces may be part of it.
      if (!empty) input[column] = column === 'password' ? cell : cell.trim();
    } else if (column === 'customerIds' || column === 'keyUserOf') {
      if (!empty || isUpdate) input[column] = splitList(cell);
    } else if (column === 'manager') {
      if (!empty) input.manager = cell.trim();
      else if (isUpdate) input.manager = null;
    } else if (!empty) input[column] = cell;
    else if (isUpdate) input[column] = null;
  });
  return input;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((v) => right.has(v));
};

/**
 * What an update row would really change: unchanged values are left out, so the audit log and the
 * version only move for real changes. A password is always a change.
 */
export function changesOf(current: CustomerUserRecord, parsed: ParsedWrite): ParsedWrite {
  const fields: FieldValues = {};
  for (const [key, value] of Object.entries(parsed.fields)) {
    if (key !== 'login' && value !== (current.fields[key] ?? null)) fields[key] = value;
  }
  const r = parsed.relations;
  const relations: Relations = {};
  const primary = typeof fields.customerId === 'string' ? fields.customerId : current.customerId;
  if (r.customerIds && !sameSet(r.customerIds.filter((id) => id !== primary), current.customerIds)) relations.customerIds = r.customerIds;
  if (r.keyUserOf && !sameSet(r.keyUserOf, current.keyUserOf)) relations.keyUserOf = r.keyUserOf;
  if (r.manager !== undefined && r.manager !== current.manager) relations.manager = r.manager;
  if (r.validity !== undefined && r.validity !== current.validity) relations.validity = r.validity;
  if (r.password !== undefined) relations.password = r.password;
  return { fields, relations };
}

/** A write as the service's input object; keys set to undefined were never given and are left out. */
export const inputOfWrite = (write: ParsedWrite): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ ...write.fields, ...write.relations }).filter(([, v]) => v !== undefined));

/** Customer IDs a file names as customers (primary or extra), to look them up in one go. */
export function customerIdsIn(columns: string[], rows: { cells: string[] }[]): string[] {
  const ids = new Set<string>();
  const primary = columns.indexOf('customerId');
  const extra = columns.indexOf('customerIds');
  for (const { cells } of rows) {
    if (primary !== -1) ids.add(restoreCell(cells[primary] ?? '').trim());
    if (extra !== -1) for (const id of splitList(restoreCell(cells[extra] ?? ''))) ids.add(id);
  }
  ids.delete('');
  return [...ids];
}
