import { createHash } from 'node:crypto';
import { loginSchema } from '../../../agents/schema.js';
import { RESERVED_LOGINS } from '../../customer-user-input.js';
import { checkValue, type FieldMapRow, type FieldValues } from '../../field-map.js';
import type { DirectoryEntry } from './directory.js';
import type { CustomerIdFrom, LdapSettings } from './settings.js';

export type CellWarningKind = 'missing-required' | 'multi-valued' | 'binary' | 'invalid' | 'unknown-attribute';

/** Something a cell of the preview should say about its value; the value itself may still be usable. */
export interface CellWarning {
  key: string;
  kind: CellWarningKind;
  detail?: string;
}

/** Why an entry cannot become (or stay) a customer user. */
export type EntryProblem = 'no-id' | 'no-login' | 'invalid-login' | 'no-customer' | 'missing-required' | 'no-email';

export interface MappedEntry {
  dn: string;
  directoryId: string | null;
  login: string | null;
  email: string | null;
  customerId: string | null;
  fields: FieldValues;
  managerDn: string | null;
  warnings: CellWarning[];
  problems: EntryProblem[];
  /** SHA-256 over what Loket stores from the entry: equal hash, nothing to write. */
  hash: string;
}

type MapSettings = Pick<LdapSettings, 'map' | 'loginAttribute' | 'idAttribute' | 'customerIdFrom' | 'managerAttribute'>;

/** DNs compare without case and without the spaces some servers put after commas. */
export const normaliseDn = (dn: string): string => dn.replace(/\s*,\s*/g, ',').replace(/\s*=\s*/g, '=').trim().toLowerCase();

const textOf = (value: string | Buffer): string => (Buffer.isBuffer(value) ? value.toString('hex') : value);

function firstText(entry: DirectoryEntry, attribute: string): string | null {
  const value = entry.attributes[attribute.toLowerCase()]?.[0];
  if (value === undefined) return null;
  const text = textOf(value).trim();
  return text === '' ? null : text;
}

/** The customer an entry belongs to: an attribute, one constant, or the longest matching DN suffix rule. */
export function customerIdOf(entry: DirectoryEntry, from: CustomerIdFrom): string | null {
  if ('constant' in from) return from.constant;
  if ('attribute' in from) {
    const value = entry.attributes[from.attribute.toLowerCase()]?.[0];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  }
  const dn = normaliseDn(entry.dn);
  let best: { length: number; customerId: string } | null = null;
  for (const rule of from.rules) {
    const suffix = normaliseDn(rule.dnSuffix);
    const matches = dn === suffix || dn.endsWith(`,${suffix}`);
    if (matches && (!best || suffix.length > best.length)) best = { length: suffix.length, customerId: rule.customerId };
  }
  return best?.customerId ?? null;
}

function mapCell(row: FieldMapRow, entry: DirectoryEntry, warnings: CellWarning[]): string | number | null {
  const values = entry.attributes[row.storage.toLowerCase()];
  if (!values?.length) {
    if (row.required) warnings.push({ key: row.key, kind: 'missing-required' });
    return null;
  }
  if (values.length > 1) warnings.push({ key: row.key, kind: 'multi-valued', detail: `${values.length} values, the first is used` });
  const first = values[0]!;
  if (Buffer.isBuffer(first)) {
    warnings.push({ key: row.key, kind: 'binary', detail: `${first.length} bytes` });
    return null;
  }
  try {
    return checkValue(row, first);
  } catch (err) {
    warnings.push({ key: row.key, kind: 'invalid', detail: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/**
 * One directory entry through the backend's map. Never throws: multi-valued, binary, missing and
 * malformed values become warnings per cell, and what makes the entry unusable becomes a problem.
 * Login and customer come from the login attribute and the customer-ID rule, not from their map rows.
 */
export function mapEntry(entry: DirectoryEntry, settings: MapSettings): MappedEntry {
  const warnings: CellWarning[] = [];
  const problems: EntryProblem[] = [];
  const fields: FieldValues = {};
  for (const row of settings.map) {
    if (row.key === 'login' || row.key === 'customerId') continue;
    fields[row.key] = mapCell(row, entry, warnings);
  }

  const directoryId = firstText(entry, settings.idAttribute);
  if (!directoryId) problems.push('no-id');

  const rawLogin = firstText(entry, settings.loginAttribute);
  let login: string | null = null;
  if (!rawLogin) problems.push('no-login');
  else {
    const parsed = loginSchema.safeParse(rawLogin);
    if (parsed.success && !RESERVED_LOGINS.has(parsed.data)) login = parsed.data;
    else {
      problems.push('invalid-login');
      warnings.push({ key: 'login', kind: 'invalid', detail: 'letters, digits and . _ @ + - only' });
    }
  }
  if ((entry.attributes[settings.loginAttribute.toLowerCase()]?.length ?? 0) > 1) warnings.push({ key: 'login', kind: 'multi-valued' });
  fields.login = login;

  const customerId = customerIdOf(entry, settings.customerIdFrom);
  if (!customerId) problems.push('no-customer');
  fields.customerId = customerId;

  const email = typeof fields.email === 'string' ? fields.email : null;
  if (!email) problems.push('no-email');
  if (settings.map.some((r) => r.required && r.key !== 'email' && r.key !== 'login' && r.key !== 'customerId' && (fields[r.key] === null || fields[r.key] === undefined))) {
    problems.push('missing-required');
  }

  const managerDn = settings.managerAttribute ? firstText(entry, settings.managerAttribute) : null;
  const hash = createHash('sha256').update(JSON.stringify([entry.dn, fields, managerDn])).digest('hex');
  return { dn: entry.dn, directoryId, login, email, customerId, fields, managerDn, warnings, problems: [...new Set(problems)], hash };
}

/** Map rows whose attribute none of the entries has: probably a typo in the map (preview warning). */
export function unknownAttributes(entries: DirectoryEntry[], settings: Pick<LdapSettings, 'map'>): CellWarning[] {
  if (!entries.length) return [];
  return settings.map
    .filter((row) => !entries.some((e) => (e.attributes[row.storage.toLowerCase()]?.length ?? 0) > 0))
    .map((row) => ({ key: row.key, kind: 'unknown-attribute' as const, detail: row.storage }));
}
