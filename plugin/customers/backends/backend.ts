import type { FieldMap, FieldValues } from '../field-map.js';
import type { Validity } from '../schema.js';
import type { WordMatch } from '../search-terms.js';

/** A customer user as every backend hands it over: map fields by key, relations kept in Loket's database. */
export interface CustomerUserRecord {
  /** Loket's own row (the user itself for the database backend, the shadow row for a directory). */
  id: number;
  backend: string;
  login: string;
  email: string;
  customerId: string;
  /** The extra customers, without the primary one. */
  customerIds: string[];
  keyUserOf: string[];
  managerId: number | null;
  manager: string | null;
  validity: Validity;
  fields: FieldValues;
  hasPassword: boolean;
  language: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  anonymisedAt: string | null;
  version: number;
  /** A directory user: where the entry is, when a sync last saw it, and since when it is missing. */
  directory: { dn: string; seenAt: string | null; missingAt: string | null } | null;
}

/** How a customer user is named to people: first and last name, else the login. */
export const customerUserName = (user: Pick<CustomerUserRecord, 'login' | 'fields'>): string =>
  [user.fields.firstName, user.fields.lastName].filter((v) => typeof v === 'string' && v !== '').join(' ') || user.login;

export interface BackendSearch {
  words: WordMatch[];
  /** null: all customers; otherwise only users of these customers (exact IDs), plus the actor themself. */
  scope: { customerIds: string[]; selfId: number | null } | null;
  customerId?: string | undefined;
  validity?: Validity | undefined;
  limit: number;
  offset: number;
  /** Most matches one search looks at; `capped` in the answer says there were more. */
  cap: number;
}

export interface BackendPage {
  items: CustomerUserRecord[];
  /** Matches, counted up to the cap. */
  total: number;
  capped: boolean;
}

export interface BackendCapabilities {
  /** Loket may create users and change their map fields here. */
  writable: boolean;
  /** Loket checks passwords itself (a directory checks them with a bind instead). */
  localPasswords: boolean;
}

/**
 * One source of customer users (OTOBO's CustomerUser, CustomerUser1 … CustomerUser10). The database
 * backend is writable; directory backends are read-only for their mapped fields, while relations,
 * permissions and preferences live in Loket's database beside a shadow row.
 */
export interface CustomerUserBackend {
  readonly key: string;
  readonly type: 'db' | 'ldap';
  readonly capabilities: BackendCapabilities;
  fieldMap(): Promise<FieldMap>;
  /** The map a record's `fields` follow, with storage in Loket's terms (columns, extra.<name>). */
  recordMap(): Promise<FieldMap>;
  findByLogin(login: string): Promise<CustomerUserRecord | null>;
  search(query: BackendSearch): Promise<BackendPage>;
}

/**
 * The ordered list of backends: fetch asks each in turn and takes the first that knows the login;
 * search asks all, keeps the first backend's answer for a login found twice, sorts by login and limits.
 * `total` is the sum of the backends' totals less the duplicates seen, at most the cap.
 */
export function createBackendRegistry(listBackends: () => Promise<CustomerUserBackend[]>) {
  return {
    list: listBackends,

    /** The record map of the backend a user came from; the first backend's when it is gone. */
    async recordMap(backendKey: string): Promise<FieldMap> {
      const backends = await listBackends();
      return (backends.find((b) => b.key === backendKey) ?? backends[0]!).recordMap();
    },

    async findByLogin(login: string): Promise<CustomerUserRecord | null> {
      for (const backend of await listBackends()) {
        const found = await backend.findByLogin(login);
        if (found) return found;
      }
      return null;
    },

    async search(query: BackendSearch): Promise<BackendPage> {
      const backends = await listBackends();
      if (backends.length === 1) return backends[0]!.search(query);
      const answers = await Promise.all(backends.map((b) => b.search({ ...query, offset: 0, limit: query.offset + query.limit })));
      const byLogin = new Map<string, CustomerUserRecord>();
      let duplicates = 0;
      for (const answer of answers) {
        for (const item of answer.items) {
          if (byLogin.has(item.login)) duplicates++;
          else byLogin.set(item.login, item);
        }
      }
      const merged = [...byLogin.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
      const total = answers.reduce((sum, a) => sum + a.total, 0) - duplicates;
      const capped = answers.some((a) => a.capped) || total > query.cap;
      return { items: merged.slice(query.offset, query.offset + query.limit), total: Math.min(total, query.cap), capped };
    },
  };
}

export type BackendRegistry = ReturnType<typeof createBackendRegistry>;
