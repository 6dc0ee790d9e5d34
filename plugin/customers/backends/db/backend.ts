import { validationError } from '../../../errors.js';
import type { BackendSettingsStore } from '../../backend-settings-store.js';
import { DEFAULT_DB_MAP, fieldMapSchema, isBuiltIn, searchRows, type FieldMap, type FieldValues } from '../../field-map.js';
import type { Tx } from '../../../db/transaction.js';
import { termsFor } from '../../search-terms.js';
import type { BackendSearch, CustomerUserBackend, CustomerUserRecord } from '../backend.js';
import { isDbColumn, type CustomerUserStore, type DbColumn, type SearchTerm, type StoredUser, type UserWrite } from './store.js';

export const DB_BACKEND_KEY = 'db';

/** Built-in keys and the column each is kept in; a custom field lives in `extra.<name>` (a JSON column). */
export const COLUMN_OF: Record<string, DbColumn> = {
  title: 'title', firstName: 'first_name', lastName: 'last_name', login: 'login', email: 'email', customerId: 'customer_id',
  phone: 'phone', fax: 'fax', mobile: 'mobile', street: 'street', zip: 'zip', city: 'city', country: 'country', comment: 'comment',
};

const EXTRA = /^extra\.([A-Za-z][\w-]{0,63})$/;

/** What the database backend accepts as storage: built-ins in their own column, custom fields in extra.<name>. */
export function checkDbMap(map: FieldMap): void {
  const extras = new Set<string>();
  map.forEach((row, i) => {
    const field = `map.${i}.storage`;
    if (isBuiltIn(row.key)) {
      if (row.storage !== COLUMN_OF[row.key]) throw validationError(`${field}: ${row.key} is stored in ${COLUMN_OF[row.key]}`, field);
      return;
    }
    const name = EXTRA.exec(row.storage)?.[1];
    if (!name || isDbColumn(row.storage)) throw validationError(`${field}: a custom field is stored as extra.<name>`, field);
    if (extras.has(name)) throw validationError(`${field}: extra.${name} is used twice`, field);
    extras.add(name);
  });
}

/** The search index rows for a user's values: one set of terms per searchable map field. */
export function searchTermsFor(map: FieldMap, fields: FieldValues): SearchTerm[] {
  return searchRows(map).flatMap((row) => termsFor(fields[row.key]).map((term) => ({ field: row.key, term })));
}

/** Map fields → columns and the extra JSON. */
export function writeOf(map: FieldMap, fields: FieldValues, current: Record<string, string | number | null> = {}): Pick<UserWrite, 'columns' | 'extra'> {
  const columns: UserWrite['columns'] = {};
  const extra = { ...current };
  let extraTouched = false;
  for (const row of map) {
    if (!Object.hasOwn(fields, row.key)) continue;
    const value = fields[row.key] ?? null;
    const column = COLUMN_OF[row.key];
    if (column && isBuiltIn(row.key)) columns[column] = value === null ? '' : String(value);
    else {
      const name = EXTRA.exec(row.storage)?.[1];
      if (name) {
        extra[name] = value;
        extraTouched = true;
      }
    }
  }
  return extraTouched ? { columns, extra } : { columns };
}

function fieldsOf(map: FieldMap, user: StoredUser): FieldValues {
  const fields: FieldValues = {};
  for (const row of map) {
    const column = COLUMN_OF[row.key];
    if (column && isBuiltIn(row.key)) {
      const v = user.columns[column];
      fields[row.key] = v === '' ? null : v;
    } else {
      const name = EXTRA.exec(row.storage)?.[1];
      fields[row.key] = name ? (user.extra[name] ?? null) : null;
    }
  }
  return fields;
}

/** The database backend: writable, local passwords, prefix search over the term index. */
export function createDbBackend(deps: { store: CustomerUserStore; settings: BackendSettingsStore }) {
  async function fieldMap(): Promise<FieldMap> {
    const stored = await deps.settings.get(DB_BACKEND_KEY);
    const parsed = fieldMapSchema.safeParse(stored?.settings.map);
    return parsed.success ? parsed.data : DEFAULT_DB_MAP;
  }

  /** Inside a transaction, pass both the map and `tx`: SQLite has one connection, and it is taken. */
  async function toRecords(users: StoredUser[], map?: FieldMap, tx?: Tx): Promise<CustomerUserRecord[]> {
    if (!users.length) return [];
    const useMap = map ?? (await fieldMap());
    const ids = users.map((u) => u.id);
    const extras = await deps.store.extraCustomerIds(ids, tx);
    const keyUsers = await deps.store.keyUserCustomerIds(ids, tx);
    const managerIds = [...new Set(users.map((u) => u.managerId).filter((id): id is number => id !== null))];
    const managers = new Map((await deps.store.findManyById(managerIds, tx)).map((m) => [m.id, m.columns.login]));
    return users.map((u) => ({
      id: u.id,
      backend: u.source,
      login: u.columns.login,
      email: u.columns.email,
      customerId: u.columns.customer_id,
      customerIds: extras.get(u.id) ?? [],
      keyUserOf: keyUsers.get(u.id) ?? [],
      managerId: u.managerId,
      manager: u.managerId === null ? null : (managers.get(u.managerId) ?? null),
      validity: u.validity,
      fields: fieldsOf(useMap, u),
      hasPassword: u.hasPassword,
      language: u.language,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      lastLoginAt: u.lastLoginAt,
      anonymisedAt: u.anonymisedAt,
      version: u.version,
      directory: u.directory ? { dn: u.directory.dn, seenAt: u.directory.seenAt, missingAt: u.directory.missingAt } : null,
    }));
  }

  const one = async (user: StoredUser | null): Promise<CustomerUserRecord | null> => (user ? ((await toRecords([user]))[0] ?? null) : null);

  const backend: CustomerUserBackend & {
    findById(id: number): Promise<CustomerUserRecord | null>;
    toRecords: typeof toRecords;
  } = {
    key: DB_BACKEND_KEY,
    type: 'db',
    capabilities: { writable: true, localPasswords: true },
    fieldMap,
    recordMap: fieldMap,
    // Only its own users: a directory user's shadow row is answered by that directory's backend.
    findByLogin: async (login) => {
      const stored = await deps.store.findByLogin(login);
      return one(stored?.source === DB_BACKEND_KEY ? stored : null);
    },
    findById: async (id) => one(await deps.store.findById(id)),
    toRecords,
    async search(query: BackendSearch) {
      const found = await deps.store.search({ ...query, source: DB_BACKEND_KEY });
      return { items: await toRecords(found.items), total: found.total, capped: found.capped };
    },
  };
  return backend;
}

export type DbBackend = ReturnType<typeof createDbBackend>;
