import type { Actor } from '../access/actor.js';
import { customerScope, customerScopeAllows, requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { notFound } from '../errors.js';
import { parseInput } from '../web/validate.js';
import type { CustomerStore, CustomerValues } from './customer-store.js';
import { changedKeys } from './diff.js';
import { customerPatchSchema, newCustomerSchema, type Customer, type CustomerPatch, type ListQuery, type NewCustomerInput, type Page } from './schema.js';

const AUDITED: (keyof CustomerValues)[] = ['customerId', 'name', 'street', 'zip', 'city', 'country', 'url', 'comment', 'validity'];
const auditView = (c: Customer) => Object.fromEntries(AUDITED.map((k) => [k, c[k]]));

/** Customers (companies): created and changed by admins, read by staff and by key users of that customer. */
export function createCustomerService(deps: { store: CustomerStore; audit: AuditService; transaction: RunInTransaction }) {
  async function visible(actor: Actor, customerId: string): Promise<Customer> {
    const scope = customerScope(actor);
    const customer = customerScopeAllows(scope, customerId) ? await deps.store.findByCustomerId(customerId) : null;
    // Another tenant's customer answers exactly like one that does not exist.
    if (!customer) throw notFound(`No customer with ID ${customerId}.`);
    return customer;
  }

  return {
    get: visible,

    /** Exact lookup for other services (no actor: they check access themselves). */
    findExact: (customerId: string) => deps.store.findByCustomerId(customerId),
    findMany: (customerIds: readonly string[]) => deps.store.findMany(customerIds),

    async list(actor: Actor, query: ListQuery): Promise<Page<Customer>> {
      const scope = customerScope(actor);
      const found = await deps.store.list(query, scope.kind === 'all' ? null : scope.customerIds);
      return { ...found, limit: query.limit };
    },

    async create(actor: Actor, input: NewCustomerInput, subject: AuditSubject): Promise<Customer> {
      requireCapability(actor, 'customer.manage');
      const values = parseInput(newCustomerSchema, input);
      return deps.transaction(async (tx) => {
        const customer = await deps.store.insert(values, tx);
        await deps.audit.record(subject, { action: 'customer.create', objectType: 'customer', objectId: customer.customerId, after: auditView(customer) }, tx);
        return customer;
      });
    },

    async update(actor: Actor, customerId: string, patch: CustomerPatch, subject: AuditSubject): Promise<Customer> {
      requireCapability(actor, 'customer.manage');
      const { version, ...values } = parseInput(customerPatchSchema, patch);
      return deps.transaction(async (tx) => {
        const current = await deps.store.findByCustomerId(customerId, tx);
        if (!current) throw notFound(`No customer with ID ${customerId}.`);
        const keys = changedKeys(auditView(current), values);
        if (!keys.length) return current;
        await deps.store.update(current.id, values, version ?? current.version, tx);
        const updated = (await deps.store.findByCustomerId(customerId, tx))!;
        const only = (c: Customer) => Object.fromEntries(keys.map((k) => [k, auditView(c)[k]]));
        await deps.audit.record(
          subject,
          { action: keys.length === 1 && keys[0] === 'validity' ? 'customer.validity' : 'customer.update', objectType: 'customer', objectId: customerId, before: only(current), after: only(updated) },
          tx,
        );
        return updated;
      });
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
