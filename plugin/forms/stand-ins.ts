import type { Actor } from '../access/actor.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { Party } from './run-store.js';

/** One holiday deputy in force: `deputy` stands in for `principal` (both customer users of `customerId`). */
export interface StandInLink {
  customerId: string;
  principal: { id: number; login: string; name: string };
  deputy: { id: number; login: string; name: string };
  endsAt: string;
}

/** What the forms engine asks of the deputies (plugin/delegation/deputy-service.ts answers it). */
export interface DeputiesPort {
  /** Deputies in force now for these people. */
  activeDeputiesOf(principalIds: readonly number[]): Promise<StandInLink[]>;
  /** Deputies in force now in which this person is the deputy. */
  standingInFor(deputyId: number): Promise<StandInLink[]>;
}

export interface StandInsDeps {
  deputies: DeputiesPort;
  findUser(id: number): Promise<CustomerUserRecord | null>;
}

/** An approver of record and the deputy who may decide in their place now. */
export interface StandIn {
  principal: Party;
  deputy: CustomerUserRecord;
}

/**
 * Holiday deputies in approvals. An approval row stays the approver's of record (the principal); while a
 * deputy period of that approver runs, the deputy may decide it too, sees it in their list and gets its
 * mails. Asked at decide time, not at submit, so runs submitted before the holiday began route as well,
 * and a period that ended or was revoked stops counting on the next request.
 *
 * A link counts only while both people are valid and still belong to the customer it was made in (the
 * same conditions as the deputy's added rights, plugin/delegation/deputy-service.ts grantsFor), and never
 * for a session working in another organisation (a delegated actor stands in for nobody).
 */
export function createStandIns(deps: StandInsDeps) {
  async function holds(link: StandInLink): Promise<CustomerUserRecord | null> {
    const [principal, deputy] = await Promise.all([deps.findUser(link.principal.id), deps.findUser(link.deputy.id)]);
    if (principal?.validity !== 'valid' || deputy?.validity !== 'valid') return null;
    if (principal.customerId !== link.customerId || deputy.customerId !== link.customerId) return null;
    return deputy;
  }

  const standsIn = (actor: Actor): boolean => actor.principal.type === 'customer-user' && actor.delegation === null;

  return {
    /** May the actor decide this approver's approvals as their deputy right now? */
    async isDeputyOf(actor: Actor, approver: Party): Promise<boolean> {
      if (!standsIn(actor) || approver.kind !== 'customer-user' || actor.principal.id === approver.id) return false;
      for (const link of await deps.deputies.activeDeputiesOf([approver.id])) {
        if (link.deputy.id === actor.principal.id && (await holds(link))) return true;
      }
      return false;
    },

    /** The people whose approvals the actor decides as deputy right now (customer-user parties). */
    async principalsOf(actor: Actor): Promise<Party[]> {
      if (!standsIn(actor)) return [];
      const found = new Map<number, Party>();
      for (const link of await deps.deputies.standingInFor(actor.principal.id)) {
        if (link.principal.id !== actor.principal.id && (await holds(link))) found.set(link.principal.id, { kind: 'customer-user', id: link.principal.id, login: link.principal.login, name: link.principal.name });
      }
      return [...found.values()];
    },

    /** Deputies in force now for these approvers of record (agents have none), for mails. */
    async deputiesOf(approvers: readonly Party[]): Promise<StandIn[]> {
      const people = approvers.filter((a) => a.kind === 'customer-user');
      if (!people.length) return [];
      const out: StandIn[] = [];
      for (const link of await deps.deputies.activeDeputiesOf([...new Set(people.map((p) => p.id))])) {
        const deputy = await holds(link);
        const principal = people.find((p) => p.id === link.principal.id);
        if (deputy && principal && deputy.id !== principal.id) out.push({ principal, deputy });
      }
      return out;
    },
  };
}

export type StandIns = ReturnType<typeof createStandIns>;
