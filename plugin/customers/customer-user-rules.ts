import type { Tx } from '../db/transaction.js';
import { conflict, ruleViolation } from '../errors.js';
import type { CustomerUserRecord } from './backends/backend.js';
import type { CustomerUserStore, UserWrite } from './backends/db/store.js';
import type { CustomerStore } from './customer-store.js';
import type { Relations } from './customer-user-input.js';
import type { FieldValues } from './field-map.js';

/**
 * The rules a customer-user write must pass beyond the field map: the customers exist (exact IDs), key-user
 * marks only for the user's own customers, a manager who exists and is somebody else, a login that no
 * agent or other user holds, an e-mail address nobody else uses (when uniqueness is on).
 */
export function createCustomerUserRules(deps: {
  store: CustomerUserStore;
  customers: CustomerStore;
  emailUnique: boolean;
  agentLoginExists: (login: string) => Promise<boolean>;
}) {
  async function checkRelations(fields: FieldValues, relations: Relations, current: CustomerUserRecord | null, tx: Tx): Promise<{ managerId?: number | null }> {
    const primary = (fields.customerId as string | undefined) ?? current?.customerId;
    const ids = new Set([primary, ...(relations.customerIds ?? [])].filter((id): id is string => typeof id === 'string'));
    const found = new Set((await deps.customers.findMany([...ids], tx)).map((c) => c.customerId));
    for (const id of ids) {
      if (!found.has(id)) {
        const field = id === primary ? 'customerId' : 'customerIds';
        throw ruleViolation(`${field}: there is no customer with ID ${id}. Create the customer first.`, field, 'unknown_customer');
      }
    }
    const memberOf = new Set([primary, ...(relations.customerIds ?? current?.customerIds ?? [])]);
    for (const id of relations.keyUserOf ?? []) {
      if (!memberOf.has(id)) throw ruleViolation(`keyUserOf: ${id} is not one of this user's customers.`, 'keyUserOf', 'not_a_member');
    }
    if (relations.manager === undefined) return {};
    if (relations.manager === null) return { managerId: null };
    const manager = await deps.store.findByLogin(relations.manager, tx);
    if (!manager) throw ruleViolation(`manager: there is no customer user with login ${relations.manager}.`, 'manager', 'unknown_manager');
    if (manager.id === current?.id) throw ruleViolation('manager: nobody is their own manager.', 'manager', 'self_manager');
    return { managerId: manager.id };
  }

  async function assertFree(fields: FieldValues, current: CustomerUserRecord | null, tx: Tx): Promise<void> {
    const login = fields.login as string | undefined;
    if (login && login !== current?.login && (await deps.store.findByLogin(login, tx))) {
      throw conflict('This login is already in use.', 'login', 'duplicate');
    }
    const email = fields.email as string | undefined;
    if (deps.emailUnique && email && email !== current?.email) {
      if ((await deps.store.findIdsByEmail(email, tx)).some((id) => id !== current?.id)) {
        throw conflict('This e-mail address is already in use by another customer user.', 'email', 'duplicate');
      }
    }
  }

  function relationWrite(relations: Relations, managerId: { managerId?: number | null }): Partial<UserWrite> {
    return {
      ...(relations.validity !== undefined && { validity: relations.validity }),
      ...(relations.language !== undefined && { language: relations.language }),
      ...managerId,
    };
  }

  /** Extra customers never repeat the primary one (a user moved to one of their extras keeps the rest). */
  async function applyLinks(id: number, relations: Relations, primary: string, currentExtras: string[], tx: Tx): Promise<void> {
    const extras = relations.customerIds ?? currentExtras;
    if (relations.customerIds || extras.includes(primary)) {
      await deps.store.setExtraCustomerIds(id, [...new Set(extras)].filter((cid) => cid !== primary), tx);
    }
    if (relations.keyUserOf) await deps.store.setKeyUserOf(id, [...new Set(relations.keyUserOf)], tx);
  }

  /** Outside any transaction: the agents' table is read through the pool (one connection on SQLite). */
  async function assertNotAnAgent(fields: FieldValues, current: CustomerUserRecord | null): Promise<void> {
    const login = fields.login as string | undefined;
    if (login && login !== current?.login && (await deps.agentLoginExists(login))) throw conflict('This login is already in use.', 'login', 'duplicate');
  }

  return { checkRelations, assertFree, relationWrite, applyLinks, assertNotAnAgent };
}
