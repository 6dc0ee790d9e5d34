import type { Actor, DeputyGrant } from '../access/actor.js';
import { ownKeyUserOf } from '../access/actor.js';
import { can, requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { RunInTransaction } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict, forbidden, LoketError, notFound, ruleViolation } from '../errors.js';
import type { DeputyStore } from './deputy-store.js';
import { deputyStatus, endOf, startOf, type Deputy, type DeputyInput, type DeputyView } from './types.js';

const MAX_DAYS = 366;
const DAY = 86_400_000;

export interface DeputyPeople {
  findById(id: number): Promise<CustomerUserRecord | null>;
  findByLogin(login: string): Promise<CustomerUserRecord | null>;
  hasReports(id: number): Promise<boolean>;
}

export interface DeputyDeps {
  store: DeputyStore;
  people: DeputyPeople;
  audit: AuditService;
  transaction: RunInTransaction;
  now?: () => Date;
}

const notYours = () => notFound('No such deputy.');
const fromDelegatedSession = () => new LoketError({ status: 403, code: 'delegated_session', message: 'A delegated session cannot name deputies.' });

/**
 * Holiday deputies (seed 004): a key user or manager names a colleague of the same customer to stand in
 * for a period. While it runs, the deputy holds the principal's key-user marks and reports (see
 * grantsFor, read on every request) and approvals of the principal route to them (at decide time, plugin/forms/stand-ins.ts).
 */
export function createDeputyService(deps: DeputyDeps) {
  const now = () => toDbTime(deps.now?.() ?? new Date());
  const view = (d: Deputy, at = now()): DeputyView => ({ ...d, status: deputyStatus(d, at) });

  /** Who sees a deputy: the two people, key users of the customer, admins. */
  const maySee = (actor: Actor, d: Deputy): boolean =>
    can(actor, 'delegation.read-all') ||
    (actor.principal.type === 'customer-user' && !actor.delegation && (actor.principal.id === d.principal.id || actor.principal.id === d.deputy.id || ownKeyUserOf(actor).includes(d.customerId)));

  async function load(actor: Actor, id: number): Promise<Deputy> {
    const d = Number.isSafeInteger(id) && id > 0 ? await deps.store.findById(id) : null;
    if (!d || !maySee(actor, d)) throw notYours();
    return d;
  }

  return {
    /**
     * Names a deputy. The principal is the actor (a key user or manager) or, for a key user, a colleague
     * of a customer they are key user of; both people belong to the same customer and are valid.
     */
    async create(actor: Actor, input: DeputyInput, subject: AuditSubject): Promise<DeputyView> {
      requireCapability(actor, 'deputy.manage');
      if (actor.delegation) throw fromDelegatedSession();
      if (actor.principal.type !== 'customer-user') throw forbidden();
      const principal = input.principal === undefined ? await deps.people.findById(actor.principal.id) : await deps.people.findByLogin(input.principal);
      if (principal?.validity !== 'valid') throw ruleViolation('There is no such valid customer user.', 'principal', 'unknown_user');
      const self = principal.id === actor.principal.id;
      const keyUserCustomers = ownKeyUserOf(actor);
      if (!self && !keyUserCustomers.includes(principal.customerId)) throw forbidden('You name deputies for yourself, or as key user for people of your customer.');
      const principalIsKeyUser = principal.keyUserOf.length > 0;
      if (!principalIsKeyUser && !(await deps.people.hasReports(principal.id))) throw ruleViolation(`${principal.login} is neither key user nor manager; there is nothing to stand in for.`, 'principal', 'nothing_to_hand_over');
      const deputy = await deps.people.findByLogin(input.deputy);
      if (deputy?.validity !== 'valid') throw ruleViolation('There is no such valid customer user.', 'deputy', 'unknown_user');
      if (deputy.id === principal.id) throw ruleViolation('Nobody stands in for themself.', 'deputy', 'self');
      if (deputy.customerId !== principal.customerId) throw ruleViolation('A deputy is a colleague of the same customer.', 'deputy', 'other_customer');
      const at = now();
      const startsAt = input.startsAt ? startOf(input.startsAt) : at;
      const endsAt = endOf(input.endsAt);
      if (endsAt <= startsAt || endsAt <= at) throw ruleViolation('The end must be after the start and in the future.', 'endsAt', 'in_past');
      if (Date.parse(endsAt) - Date.parse(startsAt) > MAX_DAYS * DAY) throw ruleViolation(`A deputy stands in for at most ${MAX_DAYS} days.`, 'endsAt', 'too_long');
      const id = await deps.transaction(async (tx) => {
        if (await deps.store.overlapping(principal.id, startsAt, endsAt, tx)) throw conflict(`${principal.login} already has a deputy in that period.`, 'startsAt', 'overlap');
        const newId = await deps.store.insert({ customerId: principal.customerId, principalId: principal.id, deputyId: deputy.id, startsAt, endsAt, reason: input.reason, createdAt: at, createdBy: actor.login }, tx);
        await deps.audit.record(subject, { action: 'deputy.create', objectType: 'deputy', objectId: newId, after: { principal: principal.login, deputy: deputy.login, customerId: principal.customerId, startsAt, endsAt, reason: input.reason } }, tx);
        return newId;
      });
      return view((await deps.store.findById(id))!, at);
    },

    /** Deputies the actor is part of, and (key users) those of their customers; admins: one customer. */
    async list(actor: Actor, opts: { customerId?: string } = {}): Promise<DeputyView[]> {
      const at = now();
      if (actor.principal.type !== 'customer-user') {
        if (!can(actor, 'delegation.read-all')) throw forbidden();
        return opts.customerId ? (await deps.store.listForCustomer(opts.customerId)).map((d) => view(d, at)) : [];
      }
      if (actor.delegation) return [];
      const found = new Map<number, Deputy>();
      for (const d of await deps.store.listForPerson(actor.principal.id)) found.set(d.id, d);
      for (const customerId of ownKeyUserOf(actor)) {
        if (opts.customerId === undefined || opts.customerId === customerId) for (const d of await deps.store.listForCustomer(customerId)) found.set(d.id, d);
      }
      return [...found.values()].filter((d) => opts.customerId === undefined || d.customerId === opts.customerId).sort((a, b) => b.id - a.id).map((d) => view(d, at));
    },

    async get(actor: Actor, id: number): Promise<DeputyView> {
      return view(await load(actor, id));
    },

    /** Ends a deputy now (the principal, the deputy, a key user of the customer, or an admin). */
    async revoke(actor: Actor, id: number, subject: AuditSubject): Promise<DeputyView> {
      if (actor.delegation) throw fromDelegatedSession();
      const d = await load(actor, id);
      const at = now();
      if (d.revokedAt === null) {
        await deps.transaction(async (tx) => {
          await deps.store.revoke(d.id, at, actor.login, tx);
          await deps.audit.record(subject, { action: 'deputy.revoke', objectType: 'deputy', objectId: d.id, before: { endsAt: d.endsAt }, after: { revokedAt: at } }, tx);
        });
      }
      return view((await deps.store.findById(d.id))!, at);
    },

    /**
     * What standing in adds right now, read on every request: the principal's key-user marks within the
     * deputy's own customers, and their reports when they manage anyone. Invalid principals add nothing.
     */
    async grantsFor(user: CustomerUserRecord): Promise<DeputyGrant[]> {
      const active = await deps.store.activeFor(user.id, now());
      const grants: DeputyGrant[] = [];
      const home = [user.customerId, ...user.customerIds];
      for (const d of active) {
        const principal = await deps.people.findById(d.principal.id);
        if (principal?.validity !== 'valid' || principal.customerId !== user.customerId) continue;
        const keyUserOf = principal.keyUserOf.filter((id) => home.includes(id) && !user.keyUserOf.includes(id));
        const manager = await deps.people.hasReports(principal.id);
        if (keyUserOf.length || manager) grants.push({ deputyId: d.id, principalId: principal.id, login: principal.login, name: d.principal.name, keyUserOf, manager, endsAt: d.endsAt });
      }
      return grants;
    },

    /** Stand-ins in force for the people given (approvals route to them). */
    async activeDeputiesOf(principalIds: readonly number[]): Promise<Deputy[]> {
      return deps.store.activeOf(principalIds, now());
    },

    /** Stand-ins in force where this person is the deputy (their approvals list shows the principals'). */
    async standingInFor(deputyId: number): Promise<Deputy[]> {
      return deps.store.activeFor(deputyId, now());
    },
  };
}

export type DeputyService = ReturnType<typeof createDeputyService>;
