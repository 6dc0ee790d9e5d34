/**
 * Who is acting. Services receive an Actor and ask the policy module; they never look at req/res.
 * `customerId` is the person's own organisation; `effectiveCustomerId` differs while working in another
 * organisation through a delegation (plugin/delegation/ builds that actor on every request).
 */
export type ActorKind = 'admin' | 'agent' | 'customer';
export type Role = 'admin' | 'agent' | 'customer' | 'key-user' | 'manager';
export type PrincipalType = 'agent' | 'customer-user';

export interface Principal {
  type: PrincipalType;
  id: number;
}

export interface Actor {
  kind: ActorKind;
  principal: Principal;
  login: string;
  displayName: string;
  email: string | null;
  roles: Role[];
  customerId: string | null;
  /** Every customer the person belongs to: the primary one first, then the extra ones. */
  customerIds: string[];
  /** Customers this person is key user of (exact customer IDs). */
  keyUserOf: string[];
  /** Group → permission types held (effective: direct, via customers, defaults), for the policy module. */
  groupPermissions: Readonly<Record<string, readonly string[]>>;
  effectiveCustomerId: string | null;
  /** Set while working in another organisation: rights are then the intersection of own and delegated ones. */
  delegation: ActiveDelegation | null;
  /** Holiday cover in force: the people this person stands in for, and what that adds. */
  deputyFor: readonly DeputyGrant[];
  authenticatedBy: 'session' | 'token';
  language: string | null;
}

export interface ActiveDelegation {
  id: number;
  customerId: string;
  customerName: string;
  role: 'customer' | 'key-user';
  /** null: open-ended. */
  endsAt: string | null;
}

/**
 * What standing in for somebody adds: `keyUserOf` lists only customers the deputy was not key user of
 * already (so the deputy's own marks stay apart), `manager` their reports' forms and approvals.
 */
export interface DeputyGrant {
  deputyId: number;
  principalId: number;
  login: string;
  name: string;
  keyUserOf: string[];
  manager: boolean;
  endsAt: string;
}

/** Customers a person is key user of by their own mark (not as a deputy, not through a delegation). */
export const ownKeyUserOf = (actor: Actor): string[] =>
  actor.delegation ? [] : actor.keyUserOf.filter((id) => !actor.deputyFor.some((g) => g.keyUserOf.includes(id)));

export const principalKey = (p: Principal): string => `${p.type}:${p.id}`;

export function parsePrincipalKey(key: unknown): Principal | null {
  if (typeof key !== 'string') return null;
  const match = /^(agent|customer-user):(\d{1,12})$/.exec(key);
  if (!match) return null;
  return { type: match[1] as PrincipalType, id: Number(match[2]) };
}

/** Loket itself acting (form runs, delegation set-up): an admin that is nobody, named in the audit log by its subject. */
export const systemActor = (login: string, displayName: string): Actor => ({
  kind: 'admin',
  principal: { type: 'agent', id: 0 },
  login,
  displayName,
  email: null,
  roles: ['admin'],
  customerId: null,
  customerIds: [],
  keyUserOf: [],
  groupPermissions: {},
  effectiveCustomerId: null,
  delegation: null,
  deputyFor: [],
  authenticatedBy: 'session',
  language: null,
});
