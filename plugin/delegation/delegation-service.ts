import type { Actor, ActiveDelegation } from '../access/actor.js';
import { ownKeyUserOf } from '../access/actor.js';
import { can, requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { customerUserName, type CustomerUserRecord } from '../customers/backends/backend.js';
import type { RunInTransaction } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict, forbidden, LoketError, notFound, ruleViolation } from '../errors.js';
import { delegatedActor } from './delegated-actor.js';
import type { DelegationStore } from './delegation-store.js';
import type { Contact, DelegationNotifier, SwitchDirection } from './notifications.js';
import { DEFAULT_DAYS, delegationStatus, endOf, REVIEW_DAYS, type Delegation, type DelegationView, type ExtendInput, type GrantInput, type UsageRow } from './types.js';

const DAY = 86_400_000;
/** An API client's use of a delegation is mailed to the key users at most once in this many hours. */
const API_NOTICE_HOURS = 12;

export interface DelegationPeople {
  customerName(customerId: string): Promise<string | null>;
  /** Every account (database or directory) with this address, valid or not. */
  accountsWithEmail(email: string): Promise<CustomerUserRecord[]>;
  /** Valid key users of a customer, for the mandatory switch notices. */
  keyUserContacts(customerId: string): Promise<Contact[]>;
  /** Group → permissions a member of the customer holds (its customer grants and the defaults). */
  memberPermissions(customerId: string): Promise<Record<string, string[]>>;
  /** An account for an address nobody uses yet, in the guest organisation, with a one-time set-up link. */
  createGuestAccount(email: string, subject: AuditSubject): Promise<{ user: CustomerUserRecord; setUpPath: string; hours: number }>;
}

export interface DelegationDeps {
  store: DelegationStore;
  people: DelegationPeople;
  audit: AuditService;
  transaction: RunInTransaction;
  notifier: DelegationNotifier;
  now?: () => Date;
}

/** What the session remembers while working in another organisation. */
export interface SessionOrganisation {
  delegationId: number;
  customerId: string;
}

export type SessionResolution = { kind: 'active'; actor: Actor } | { kind: 'ended'; delegation: Delegation | null; customerName: string; status: string };

const notYours = () => notFound('No such delegation.');
const fromDelegatedSession = () => new LoketError({ status: 403, code: 'delegated_session', message: 'A delegated session cannot grant, extend or revoke delegations; switch back to your own organisation first.' });

/**
 * Delegations between organisations: a key user of C lets an e-mail address work in C for a while;
 * the delegate switches in and out with their own account; every switch is audited, recorded for the
 * usage report and mailed to all key users of C. Expiry and revocation are checked on every request.
 */
export function createDelegationService(deps: DelegationDeps) {
  const now = () => toDbTime(deps.now?.() ?? new Date());

  const nameOf = async (customerId: string): Promise<string> => (await deps.people.customerName(customerId)) ?? customerId;

  function present(d: Delegation, at: string, customerName: string): DelegationView {
    const reviewDue = toDbTime(new Date(Date.parse(at) - REVIEW_DAYS * DAY));
    const status = delegationStatus(d, at);
    return { ...d, status, customerName, needsReview: status === 'active' && d.endsAt === null && (d.reviewedAt ?? d.createdAt) <= reviewDue };
  }

  const view = async (d: Delegation, at = now()): Promise<DelegationView> => present(d, at, await nameOf(d.customerId));

  /** Many delegations, each organisation's name read once (a list is mostly one or two organisations). */
  async function views(list: readonly Delegation[], at = now()): Promise<DelegationView[]> {
    const names = new Map(await Promise.all([...new Set(list.map((d) => d.customerId))].map(async (id) => [id, await nameOf(id)] as const)));
    return list.map((d) => present(d, at, names.get(d.customerId) ?? d.customerId));
  }

  /** Managing C's delegations: a key user of C by their own mark, in their own session. */
  function requireManager(actor: Actor, customerId: string): void {
    requireCapability(actor, 'delegation.manage');
    if (actor.delegation) throw fromDelegatedSession();
    if (!ownKeyUserOf(actor).includes(customerId)) throw forbidden(`Only key users of ${customerId} manage its delegations.`);
  }

  /** Reading C's delegations: its key users, and admins (who may also revoke one in an emergency). */
  function mayRead(actor: Actor, customerId: string): boolean {
    return can(actor, 'delegation.read-all') || (!actor.delegation && ownKeyUserOf(actor).includes(customerId));
  }

  async function load(actor: Actor, id: number): Promise<Delegation> {
    const d = Number.isSafeInteger(id) && id > 0 ? await deps.store.findById(id) : null;
    if (!d || !mayRead(actor, d.customerId)) throw notYours();
    return d;
  }

  const endsAtFrom = (input: string | null | undefined, at: string): string | null => {
    if (input === null) return null;
    const end = input === undefined ? toDbTime(Date.parse(at) + DEFAULT_DAYS * DAY) : endOf(input);
    if (end <= at) throw ruleViolation('The end must be in the future.', 'endsAt', 'in_past');
    return end;
  };

  const usableBy = (actor: Actor, d: Delegation, at: string): boolean =>
    actor.principal.type === 'customer-user' && actor.email !== null && actor.email.toLowerCase() === d.email.toLowerCase() && delegationStatus(d, at) === 'active';

  /** The person's active delegation in `customerId`, or 403 no_delegation. Customer users only. */
  async function usableIn(own: Actor, customerId: string, at: string): Promise<Delegation> {
    const d = own.email ? (await deps.store.listForEmail(own.email)).find((x) => x.customerId === customerId && usableBy(own, x, at)) : undefined;
    if (!d) throw new LoketError({ status: 403, code: 'no_delegation', message: `You have no active delegation in ${customerId}.` });
    return d;
  }

  const requireCustomerUser = (own: Actor): void => {
    if (own.principal.type !== 'customer-user') throw forbidden('Only customer users work in other organisations through delegations.');
  };

  /** The person working in the delegation's organisation (rights: see delegated-actor.ts). */
  async function actingThrough(own: Actor, d: Delegation): Promise<Actor> {
    const active: ActiveDelegation = { id: d.id, customerId: d.customerId, customerName: await nameOf(d.customerId), role: d.role, endsAt: d.endsAt };
    return delegatedActor(own, active, await deps.people.memberPermissions(d.customerId));
  }

  async function notifySwitch(d: Delegation, actor: Actor, direction: SwitchDirection, at: string): Promise<void> {
    const customerName = await nameOf(d.customerId);
    deps.notifier.switched(await deps.people.keyUserContacts(d.customerId), d, { person: actor.displayName, email: actor.email ?? actor.login, customerName, direction, at, status: delegationStatus(d, at) });
  }

  async function recordSwitch(actor: Actor, d: Delegation, direction: SwitchDirection, via: 'session' | 'api', subject: AuditSubject): Promise<void> {
    const at = now();
    await deps.transaction(async (tx) => {
      await deps.store.recordSwitch({ delegationId: d.id, customerId: d.customerId, customerUserId: actor.principal.id, login: actor.login, direction, via, at }, tx);
      // The audit entry names the real person and the organisation the switch leads into or out of.
      await deps.audit.record({ ...subject, effectiveCustomerId: d.customerId, delegationId: d.id }, { action: `delegation.switch-${direction}`, objectType: 'delegation', objectId: d.id, after: { customerId: d.customerId, via } }, tx);
    });
    await notifySwitch(d, actor, direction, at);
  }

  return {
    async grant(actor: Actor, input: GrantInput, subject: AuditSubject): Promise<DelegationView> {
      requireManager(actor, input.customerId);
      const at = now();
      const endsAt = endsAtFrom(input.endsAt, at);
      const customerName = await deps.people.customerName(input.customerId);
      if (customerName === null) throw notFound('No such customer.');
      const accounts = await deps.people.accountsWithEmail(input.email);
      if (accounts.some((a) => a.customerId === input.customerId || a.customerIds.includes(input.customerId))) {
        throw ruleViolation(`${input.email} already belongs to ${input.customerId}; a delegation is for people from elsewhere.`, 'email', 'already_member');
      }
      const existing = (await deps.store.listForEmail(input.email)).find((d) => d.customerId === input.customerId && ['active', 'scheduled'].includes(delegationStatus(d, at)));
      if (existing) throw conflict(`${input.email} already has delegation ${existing.id} in ${input.customerId}; extend it instead.`, 'email', 'duplicate');
      const id = await deps.transaction(async (tx) => {
        const newId = await deps.store.insert({ customerId: input.customerId, email: input.email, role: input.role, startsAt: at, endsAt, reason: input.reason, createdAt: at, createdBy: actor.login }, tx);
        await deps.audit.record(subject, { action: 'delegation.grant', objectType: 'delegation', objectId: newId, after: { customerId: input.customerId, email: input.email, role: input.role, startsAt: at, endsAt, reason: input.reason } }, tx);
        return newId;
      });
      const d = (await deps.store.findById(id))!;
      const valid = accounts.filter((a) => a.validity === 'valid');
      if (valid.length) {
        for (const a of valid) deps.notifier.invitation({ name: customerUserName(a), email: a.email, language: a.language }, d, { customerName, grantor: actor.displayName, setUp: null });
      } else if (!accounts.length) {
        const guest = await deps.people.createGuestAccount(input.email, subject);
        deps.notifier.invitation({ name: input.email, email: input.email, language: actor.language }, d, { customerName, grantor: actor.displayName, setUp: { login: guest.user.login, path: guest.setUpPath, hours: guest.hours } });
      }
      return view(d, at);
    },

    /** A customer's delegations with their history, newest first. */
    async listForCustomer(actor: Actor, customerId: string): Promise<DelegationView[]> {
      if (!mayRead(actor, customerId)) {
        if (actor.delegation) throw fromDelegatedSession();
        throw forbidden(`Only key users of ${customerId} see its delegations.`);
      }
      const at = now();
      return views(await deps.store.listForCustomer(customerId), at);
    },

    /** Customers whose delegations the actor manages (key users: their own marks). */
    managedCustomers: (actor: Actor): string[] => (actor.delegation ? [] : ownKeyUserOf(actor)),

    /** Delegations granted to the signed-in person's address. */
    async mine(actor: Actor): Promise<DelegationView[]> {
      if (actor.principal.type !== 'customer-user' || !actor.email) return [];
      const at = now();
      return views(await deps.store.listForEmail(actor.email), at);
    },

    async get(actor: Actor, id: number): Promise<DelegationView> {
      const d = Number.isSafeInteger(id) && id > 0 ? await deps.store.findById(id) : null;
      if (actor.email && d?.email.toLowerCase() === actor.email.toLowerCase() && actor.principal.type === 'customer-user') return view(d);
      return view(await load(actor, id));
    },

    /** New end (null: open-ended). Only while not revoked; from the key users' own session. */
    async extend(actor: Actor, id: number, input: ExtendInput, subject: AuditSubject): Promise<DelegationView> {
      // Before the lookup: a switched session reads no delegations, so it would otherwise hear 404.
      if (actor.delegation) throw fromDelegatedSession();
      const d = await load(actor, id);
      requireManager(actor, d.customerId);
      const at = now();
      if (d.revokedAt) throw conflict('This delegation was revoked; grant a new one.', undefined, 'revoked');
      const endsAt = endsAtFrom(input.endsAt, at);
      await deps.transaction(async (tx) => {
        if (!(await deps.store.update(d.id, { endsAt, ...(endsAt === null ? { reviewedAt: at } : {}) }, at, input.version, tx))) {
          throw conflict('The delegation changed meanwhile; reload and try again.', undefined, 'version_conflict');
        }
        await deps.audit.record(subject, { action: 'delegation.extend', objectType: 'delegation', objectId: d.id, before: { endsAt: d.endsAt }, after: { endsAt } }, tx);
      });
      return view((await deps.store.findById(d.id))!, at);
    },

    /** An open-ended delegation is still needed: it leaves the review list for another REVIEW_DAYS. */
    async review(actor: Actor, id: number, subject: AuditSubject): Promise<DelegationView> {
      // Before the lookup: a switched session reads no delegations, so it would otherwise hear 404.
      if (actor.delegation) throw fromDelegatedSession();
      const d = await load(actor, id);
      requireManager(actor, d.customerId);
      const at = now();
      await deps.transaction(async (tx) => {
        if (!(await deps.store.update(d.id, { reviewedAt: at }, at, undefined, tx))) throw conflict('This delegation was revoked.', undefined, 'revoked');
        await deps.audit.record(subject, { action: 'delegation.review', objectType: 'delegation', objectId: d.id, after: { reviewedAt: at } }, tx);
      });
      return view((await deps.store.findById(d.id))!, at);
    },

    /** Ends a delegation now; a session working through it is sent home on its next request. */
    async revoke(actor: Actor, id: number, subject: AuditSubject): Promise<DelegationView> {
      // Before the lookup: a switched session reads no delegations, so it would otherwise hear 404.
      if (actor.delegation) throw fromDelegatedSession();
      const d = await load(actor, id);
      if (!can(actor, 'delegation.read-all')) requireManager(actor, d.customerId);
      const at = now();
      if (d.revokedAt) return view(d, at);
      await deps.transaction(async (tx) => {
        await deps.store.update(d.id, { revokedAt: at, revokedBy: actor.login }, at, undefined, tx);
        await deps.audit.record(subject, { action: 'delegation.revoke', objectType: 'delegation', objectId: d.id, before: { endsAt: d.endsAt }, after: { revokedAt: at } }, tx);
      });
      return view((await deps.store.findById(d.id))!, at);
    },

    /** The organisation switcher's choices: delegations usable right now by this person. */
    async switchable(actor: Actor): Promise<DelegationView[]> {
      if (actor.principal.type !== 'customer-user' || !actor.email) return [];
      const at = now();
      const usable = (await deps.store.listForEmail(actor.email)).filter((d) => delegationStatus(d, at) === 'active');
      return views(usable, at);
    },

    /**
     * Switches the person's work into `customerId` (through their active delegation there) or back home
     * (their own customer). Answers what the session should remember; the route regenerates the session.
     * `own` is the person's own actor, `current` the session's delegation (if any), which is switched out of first.
     */
    async switchTo(own: Actor, current: SessionOrganisation | null, customerId: string, via: 'session' | 'api', subject: AuditSubject): Promise<SessionOrganisation | null> {
      requireCustomerUser(own);
      const target = own.customerIds.includes(customerId) ? undefined : await usableIn(own, customerId, now());
      if (current && current.delegationId !== target?.id) {
        const previous = await deps.store.findById(current.delegationId);
        if (previous) await recordSwitch(own, previous, 'out', via, subject);
      }
      if (!target) return null;
      if (current?.delegationId !== target.id) await recordSwitch(own, target, 'in', via, subject);
      return { delegationId: target.id, customerId: target.customerId };
    },

    /**
     * Every request of a switched session: the delegation is read again, so expiry and revocation count
     * from the next request. Ended: the caller drops the session back home with a notice.
     */
    async resolveSession(own: Actor, org: SessionOrganisation, subject: AuditSubject): Promise<SessionResolution> {
      const at = now();
      const d = await deps.store.findById(org.delegationId);
      if (d?.customerId === org.customerId && usableBy(own, d, at)) return { kind: 'active', actor: await actingThrough(own, d) };
      if (d) await recordSwitch(own, d, 'ended', 'session', subject);
      return { kind: 'ended', delegation: d, customerName: d ? await nameOf(d.customerId) : org.customerId, status: d ? delegationStatus(d, at) : 'revoked' };
    },

    /** Per-request API use (`Loket-Organisation` header): the same checks, no session change. */
    async actorFor(own: Actor, customerId: string): Promise<Actor> {
      requireCustomerUser(own);
      if (own.customerIds.includes(customerId)) return own;
      return actingThrough(own, await usableIn(own, customerId, now()));
    },

    /**
     * API clients (header, session or token) have no switch: their first use of a delegation in
     * API_NOTICE_HOURS counts as a switch in (recorded, audited, mailed to the key users).
     */
    async apiUse(own: Actor, delegationId: number, subject: AuditSubject): Promise<void> {
      const since = toDbTime(Date.parse(now()) - API_NOTICE_HOURS * 3_600_000);
      if (await deps.store.usedByApiSince(delegationId, own.principal.id, since)) return;
      const d = await deps.store.findById(delegationId);
      if (d) await recordSwitch(own, d, 'in', 'api', subject);
    },

    /** Delegated activity counted to the organisation (charge-back), since `since` (default: 30 days ago). */
    async usage(actor: Actor, customerId: string, since?: string): Promise<{ customerId: string; since: string; rows: UsageRow[] }> {
      if (!mayRead(actor, customerId)) throw forbidden(`Only key users of ${customerId} see its delegation usage.`);
      const from = since ? toDbTime(new Date(since)) : toDbTime(Date.now() - 30 * DAY);
      return { customerId, since: from, rows: await deps.store.usage(customerId, from) };
    },

    settle: () => deps.notifier.settle(),
  };
}

export type DelegationService = ReturnType<typeof createDelegationService>;
