import { principalKey, type Actor } from '../access/actor.js';
import { customerUserScope, requireCapability, scopeAllows, type CustomerUserScope } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import type { Tx, RunInTransaction } from '../db/transaction.js';
import { forbidden, notFound, ruleViolation } from '../errors.js';
import type { BackendRegistry, CustomerUserRecord } from './backends/backend.js';
import { checkDbMap, searchTermsFor, writeOf, type DbBackend } from './backends/db/backend.js';
import type { CustomerUserStore, UserWrite } from './backends/db/store.js';
import type { CustomerStore } from './customer-store.js';
import { assertSelfServiceKeys, parseCustomerUserWrite } from './customer-user-input.js';
import { createCustomerUserRules } from './customer-user-rules.js';
import { auditDiff, changedKeys } from './diff.js';
import type { FieldMap } from './field-map.js';
import type { Page, Validity } from './schema.js';
import { parseSearch } from './search-terms.js';

export interface CustomerUserQuery {
  search?: string | undefined;
  customerId?: string | undefined;
  validity?: Validity | undefined;
  limit: number;
  offset: number;
  /** Most matches to look at; the configured list limit unless a caller (an export) needs more. */
  cap?: number | undefined;
}

/** A page of a search: `total` counts matches up to the cap; `capped` says there were more. */
export type CustomerUserPage = Page<CustomerUserRecord> & { capped: boolean };

export interface CreatedCustomerUser {
  user: CustomerUserRecord;
  /** Only when the password was generated: shown once to the admin, stored nowhere in clear. */
  generatedPassword?: string;
}

export interface CustomerUserDeps {
  registry: BackendRegistry;
  db: DbBackend;
  store: CustomerUserStore;
  customers: CustomerStore;
  audit: AuditService;
  transaction: RunInTransaction;
  emailUnique: boolean;
  /** The list limit: the most matches one search looks at (SPEC: 1000 by default). */
  searchLimit: number;
  /** Ends every session of a person at once (the session store knows sessions, this service does not). */
  endSessions: (principalKey: string) => Promise<unknown>;
  /** Is this login taken by an agent? One login form serves both, so a login names one person only. */
  agentLoginExists: (login: string) => Promise<boolean>;
}

/** What the audit log keeps of a user: the map fields and relations, never the password. */
const auditView = (u: CustomerUserRecord): Record<string, unknown> => ({
  ...u.fields,
  customerIds: u.customerIds,
  keyUserOf: u.keyUserOf,
  manager: u.manager,
  validity: u.validity,
  language: u.language,
});

/** Customer users: search, read within the actor's scope, and the admin's create and change. */
export function createCustomerUserService(deps: CustomerUserDeps) {
  const { checkRelations, assertFree, relationWrite, applyLinks, assertNotAnAgent } = createCustomerUserRules(deps);

  async function findVisible(actor: Actor, login: string, scope: CustomerUserScope = customerUserScope(actor)): Promise<CustomerUserRecord> {
    const user = await deps.registry.findByLogin(login.trim().toLowerCase());
    // Outside the actor's customers answers like a login that does not exist: no probing other tenants.
    if (!user || !scopeAllows(scope, user)) throw notFound(`No customer user with login ${login}.`);
    return user;
  }

  async function reload(id: number, map: FieldMap, tx: Tx): Promise<CustomerUserRecord> {
    const stored = await deps.store.findById(id, tx);
    if (!stored) throw new Error('customer user vanished inside its transaction');
    return (await deps.db.toRecords([stored], map, tx))[0]!;
  }

  async function update(actor: Actor, login: string, input: unknown, subject: AuditSubject, opts: { expectedVersion?: number | undefined; map?: FieldMap } = {}): Promise<CustomerUserRecord> {
    const current = await deps.registry.findByLogin(login.trim().toLowerCase());
    if (!current) throw notFound(`No customer user with login ${login}.`);
    // A directory user's fields belong to the directory; Loket keeps their relations, validity and preferences.
    const directory = current.backend !== deps.db.key;
    const map = directory ? await deps.registry.recordMap(current.backend) : (opts.map ?? (await deps.db.fieldMap()));
    const { fields, relations } = parseCustomerUserWrite(map, input, { partial: true });
    for (const row of map) {
      if ((row.readOnly || directory) && Object.hasOwn(fields, row.key) && fields[row.key] !== (current.fields[row.key] ?? null)) {
        throw forbidden(directory ? `${row.key} comes from the directory; change it there.` : `${row.key} is read-only.`);
      }
    }
    if (directory && relations.password !== undefined) throw ruleViolation('This customer user signs in with their directory password.', 'password', 'directory_user');
    const expectedVersion = opts.expectedVersion ?? relations.version ?? current.version;
    await assertNotAnAgent(fields, current);
    const passwordHash = relations.password === undefined ? undefined : await hashPassword(relations.password);
    const updated = await deps.transaction(async (tx) => {
      await assertFree(fields, current, tx);
      const manager = await checkRelations(fields, relations, current, tx);
      const merged = { ...current.fields, ...fields };
      const stored = await deps.store.findById(current.id, tx);
      const write: UserWrite = {
        ...writeOf(map, fields, stored?.extra),
        ...relationWrite(relations, manager),
        ...(fields.email !== undefined && { emailUnique: deps.emailUnique ? (fields.email as string) : null }),
        ...(passwordHash !== undefined && { passwordHash }),
      };
      await deps.store.update(current.id, expectedVersion, write, searchTermsFor(map, merged), tx);
      await applyLinks(current.id, relations, (merged.customerId as string | null) ?? current.customerId, current.customerIds, tx);
      const after = await reload(current.id, map, tx);
      const keys = changedKeys(auditView(current), auditView(after));
      if (keys.length || relations.password !== undefined) {
        const diff = auditDiff(auditView(current), auditView(after), keys);
        const action = keys.length === 1 && keys[0] === 'validity' ? 'customer-user.validity' : 'customer-user.update';
        await deps.audit.record(subject, { action, objectType: 'customer-user', objectId: after.login, ...diff, ...(relations.password !== undefined && { after: { ...diff.after, password: '(changed)' } }) }, tx);
      }
      return after;
    });
    if (updated.validity !== 'valid' || relations.password !== undefined) {
      await deps.endSessions(principalKey({ type: 'customer-user', id: updated.id }));
    }
    return updated;
  }

  return {
    fieldMap: () => deps.db.fieldMap(),

    /** The map a user's record follows: their backend's (a directory user's fields are that directory's map rows). */
    recordMap: (backendKey: string): Promise<FieldMap> => deps.registry.recordMap(backendKey),

    async search(actor: Actor, query: CustomerUserQuery): Promise<CustomerUserPage> {
      const scope = customerUserScope(actor);
      const found = await deps.registry.search({
        words: parseSearch(query.search),
        scope: scope.kind === 'all' ? null : { customerIds: scope.customerIds, selfId: scope.selfId },
        customerId: query.customerId,
        validity: query.validity,
        limit: query.limit,
        offset: query.offset,
        cap: Math.max(query.cap ?? deps.searchLimit, query.limit),
      });
      return { ...found, limit: query.limit };
    },

    get: (actor: Actor, login: string) => findVisible(actor, login),

    /** For other services and the session: no access check, the caller decides. */
    findById: (id: number) => deps.db.findById(id),
    findByLogin: (login: string) => deps.registry.findByLogin(login.trim().toLowerCase()),
    hasReports: (id: number) => deps.store.hasReports(id),

    async create(actor: Actor | null, input: unknown, subject: AuditSubject): Promise<CreatedCustomerUser> {
      if (actor) requireCapability(actor, 'customer-user.manage');
      const map = await deps.db.fieldMap();
      const { fields, relations } = parseCustomerUserWrite(map, input, { partial: false });
      const generatedPassword = relations.password ? undefined : generatePassword();
      const passwordHash = await hashPassword(relations.password ?? generatedPassword ?? '');
      await assertNotAnAgent(fields, null);
      const user = await deps.transaction(async (tx) => {
        await assertFree(fields, null, tx);
        const manager = await checkRelations(fields, relations, null, tx);
        const id = await deps.store.insert(
          fields.login as string,
          {
            ...writeOf(map, fields),
            ...relationWrite(relations, manager),
            emailUnique: deps.emailUnique ? (fields.email as string) : null,
            passwordHash,
          },
          searchTermsFor(map, fields),
          tx,
        );
        await applyLinks(id, relations, fields.customerId as string, [], tx);
        const created = await reload(id, map, tx);
        await deps.audit.record(subject, { action: 'customer-user.create', objectType: 'customer-user', objectId: created.login, after: auditView(created) }, tx);
        return created;
      });
      return generatedPassword ? { user, generatedPassword } : { user };
    },

    async update(actor: Actor, login: string, input: unknown, subject: AuditSubject, expectedVersion?: number): Promise<CustomerUserRecord> {
      requireCapability(actor, 'customer-user.manage');
      return update(actor, login, input, subject, { expectedVersion });
    },

    setValidity(actor: Actor, login: string, validity: Validity, subject: AuditSubject): Promise<CustomerUserRecord> {
      requireCapability(actor, 'customer-user.manage');
      return update(actor, login, { validity }, subject);
    },

    /** The customer → users direction: add or remove this customer among a user's extra customers. */
    async linkToCustomer(actor: Actor, login: string, customerId: string, linked: boolean, subject: AuditSubject): Promise<CustomerUserRecord> {
      requireCapability(actor, 'customer-user.manage');
      const user = await findVisible(actor, login);
      if (linked && user.customerId === customerId) return user;
      // Unlinking the primary customer would leave the user in no customer: moving them is a change of customerId.
      if (!linked && user.customerId === customerId) throw ruleViolation(`customerId: ${customerId} is the primary customer of ${user.login}; change customerId to move the user.`, 'customerId', 'primary_customer');
      const customerIds = linked ? [...new Set([...user.customerIds, customerId])] : user.customerIds.filter((id) => id !== customerId);
      const keyUserOf = linked ? user.keyUserOf : user.keyUserOf.filter((id) => id !== customerId || id === user.customerId);
      return update(actor, login, { customerIds, keyUserOf }, subject, { expectedVersion: user.version });
    },

    /** Self-service: a customer user changes their own profile, within what SELF_PROTECTED leaves open. */
    async updateOwnProfile(actor: Actor, input: unknown, subject: AuditSubject): Promise<CustomerUserRecord> {
      requireCapability(actor, 'profile.own');
      if (actor.principal.type !== 'customer-user') throw forbidden();
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return findVisible(actor, actor.login);
      const map = await deps.db.fieldMap();
      assertSelfServiceKeys(map, input as Record<string, unknown>);
      const { version, ...rest } = input as Record<string, unknown>;
      return update(actor, actor.login, rest, subject, { expectedVersion: typeof version === 'number' ? version : undefined, map });
    },

    /** Rebuilds the search index after the map's search fields changed. */
    async reindex(map: FieldMap, batchSize = 500): Promise<number> {
      let afterId = 0;
      let done = 0;
      for (;;) {
        const ids = await deps.store.idsAfter(afterId, batchSize);
        if (!ids.length) return done;
        const users = await deps.db.toRecords(await deps.store.findManyById(ids), map);
        await deps.transaction(async (tx) => {
          for (const user of users) await deps.store.replaceTerms(user.id, searchTermsFor(map, user.fields), tx);
        });
        afterId = ids[ids.length - 1]!;
        done += ids.length;
      }
    },

    checkDbMap,
  };
}

export type CustomerUserService = ReturnType<typeof createCustomerUserService>;
