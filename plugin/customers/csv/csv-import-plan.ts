import type { Actor } from '../../access/actor.js';
import { customerUserScope, scopeAllows } from '../../access/policy.js';
import { LoketError } from '../../errors.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import { DB_BACKEND_KEY } from '../backends/db/backend.js';
import { parseCustomerUserWrite, type Relations } from '../customer-user-input.js';
import type { FieldMap } from '../field-map.js';
import type { CsvTable } from './csv-format.js';
import { changesOf, customerIdsIn, inputOf, inputOfWrite, loginOf } from './csv-import-rows.js';

export interface ImportError {
  row: number;
  login: string | null;
  field: string | null;
  message: string;
}

export type PlannedRow =
  | { kind: 'create'; row: number; login: string; input: Record<string, unknown> }
  | { kind: 'update'; row: number; login: string; changes: Record<string, unknown>; version: number }
  | { kind: 'unchanged'; row: number; login: string };

export interface ImportPlan {
  ops: PlannedRow[];
  errors: ImportError[];
}

/** What the plan reads; the same stores the customer-user service checks against. */
export interface PlanLookups {
  findByLogin(login: string): Promise<CustomerUserRecord | null>;
  findCustomers(customerIds: string[]): Promise<string[]>;
  agentLoginExists(login: string): Promise<boolean>;
  emailOwnerIds(email: string): Promise<number[]>;
  emailUnique: boolean;
}

/** A row's problem, thrown inside the plan and reported for that row. */
const rowError = (message: string, field?: string, status = 422): LoketError => new LoketError({ status, code: 'row_invalid', message, field });

const LOOKUP_BATCH = 500;

/**
 * The dry run: every row checked in file order the way the customer-user service checks a create or an
 * update (map validation, required fields, read-only fields and backends, unknown customers, key-user
 * customers, managers, logins taken by agents, e-mail uniqueness), against the database *as the earlier
 * rows of the file would leave it*: a manager created in row 3 exists for row 7, an address given up in
 * row 2 is free for row 5, a login twice in the file is an error. Nothing is written.
 */
export async function planImport(actor: Actor, map: FieldMap, table: CsvTable, lookups: PlanLookups): Promise<ImportPlan> {
  const scope = customerUserScope(actor);
  const columns = table.header;
  // Whether a customer ID exists (compared exactly), looked up once: the file's IDs in batches up front,
  // others (the primary customer of a user the file updates without a customerId column) as they come.
  const customers = new Map<string, boolean>();
  async function lookUpCustomers(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const batch = ids.slice(i, i + LOOKUP_BATCH);
      const found = new Set(await lookups.findCustomers(batch));
      for (const id of batch) customers.set(id, found.has(id));
    }
  }
  await lookUpCustomers(customerIdsIn(columns, table.rows));
  const readOnly = new Set(map.filter((row) => row.readOnly).map((row) => row.key));
  const firstRowOf = new Map<string, number>();
  const createdInFile = new Set<string>();
  const emailClaims = new Map<string, string>();
  const movedAway = new Set<number>();

  async function emailTaken(email: string, self: { login: string; id: number | null }): Promise<boolean> {
    const claim = emailClaims.get(email);
    if (claim !== undefined) return claim !== self.login;
    return (await lookups.emailOwnerIds(email)).some((id) => id !== self.id && !movedAway.has(id));
  }

  /** checkRelations of the service: customers exist (exact IDs), key-user customers are the user's, the manager exists. */
  async function checkRelations(primary: string, relations: Relations, current: CustomerUserRecord | null, login: string): Promise<void> {
    const ids = [primary, ...(relations.customerIds ?? [])];
    await lookUpCustomers(ids.filter((id) => !customers.has(id)));
    for (const id of ids) {
      if (!customers.get(id)) {
        const field = id === primary ? 'customerId' : 'customerIds';
        throw rowError(`${field}: there is no customer with ID ${id}. Create the customer first.`, field);
      }
    }
    const memberOf = new Set([primary, ...(relations.customerIds ?? current?.customerIds ?? [])]);
    for (const id of relations.keyUserOf ?? []) {
      if (!memberOf.has(id)) throw rowError(`keyUserOf: ${id} is not one of this user's customers.`, 'keyUserOf');
    }
    const manager = relations.manager;
    if (typeof manager !== 'string') return;
    if (manager === login) throw rowError('manager: nobody is their own manager.', 'manager');
    if (!createdInFile.has(manager) && !(await lookups.findByLogin(manager))) {
      throw rowError(`manager: there is no customer user with login ${manager} (a manager created by this file must come in an earlier row).`, 'manager');
    }
  }

  async function planCreate(row: number, login: string, cells: string[]): Promise<PlannedRow> {
    const input = { ...inputOf(columns, cells, false), login };
    const { fields, relations } = parseCustomerUserWrite(map, input, { partial: false });
    if (await lookups.agentLoginExists(login)) throw rowError('This login is already in use.', 'login', 409);
    const email = fields.email as string;
    if (lookups.emailUnique && (await emailTaken(email, { login, id: null }))) {
      throw rowError('This e-mail address is already in use by another customer user.', 'email', 409);
    }
    await checkRelations(fields.customerId as string, relations, null, login);
    createdInFile.add(login);
    if (lookups.emailUnique) emailClaims.set(email, login);
    return { kind: 'create', row, login, input };
  }

  async function planUpdate(row: number, current: CustomerUserRecord, cells: string[]): Promise<PlannedRow> {
    const parsed = parseCustomerUserWrite(map, inputOf(columns, cells, true), { partial: true });
    const { fields, relations } = changesOf(current, parsed);
    const changes = inputOfWrite({ fields, relations });
    if (!Object.keys(changes).length) return { kind: 'unchanged', row, login: current.login };
    if (current.backend !== DB_BACKEND_KEY) throw rowError('This customer user comes from a directory; change the fields there.');
    const locked = Object.keys(changes).find((key) => readOnly.has(key));
    if (locked !== undefined) throw rowError(`${locked} is read-only.`, locked, 403);
    const email = fields.email;
    if (typeof email === 'string' && lookups.emailUnique && (await emailTaken(email, current))) {
      throw rowError('This e-mail address is already in use by another customer user.', 'email', 409);
    }
    const primary = typeof fields.customerId === 'string' ? fields.customerId : current.customerId;
    await checkRelations(primary, relations, current, current.login);
    if (typeof email === 'string' && lookups.emailUnique) {
      movedAway.add(current.id);
      if (emailClaims.get(current.email) === current.login) emailClaims.delete(current.email);
      emailClaims.set(email, current.login);
    }
    return { kind: 'update', row, login: current.login, changes, version: current.version };
  }

  const ops: PlannedRow[] = [];
  const errors: ImportError[] = [];
  for (const { row, cells } of table.rows) {
    let login: string | null = null;
    try {
      if (cells.length !== columns.length) throw rowError(`This row has ${cells.length} cells; the header has ${columns.length}.`, undefined, 400);
      login = loginOf(columns, cells);
      const first = firstRowOf.get(login);
      if (first !== undefined) throw rowError(`login ${login} appears twice in the file (first in row ${first}).`, 'login', 409);
      firstRowOf.set(login, row);
      const current = await lookups.findByLogin(login);
      // Another tenant's user answers like a taken login, as the service's create would.
      if (current && !scopeAllows(scope, current)) throw rowError('This login is already in use.', 'login', 409);
      ops.push(current ? await planUpdate(row, current, cells) : await planCreate(row, login, cells));
    } catch (err) {
      if (!(err instanceof LoketError) || err.status >= 500) throw err;
      errors.push({ row, login, field: err.field ?? null, message: err.message });
    }
  }
  return { ops, errors };
}
