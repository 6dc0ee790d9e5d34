/**
 * Who is acting. Services receive an Actor and ask the policy module; they never look at req/res.
 * `customerId` is the person's own organisation; `effectiveCustomerId` differs while working in another
 * organisation through a delegation (the delegation issue fills that in).
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
  delegation: { id: number; endsAt: string | null } | null;
  authenticatedBy: 'session' | 'token';
  language: string | null;
}

export const principalKey = (p: Principal): string => `${p.type}:${p.id}`;

export function parsePrincipalKey(key: unknown): Principal | null {
  if (typeof key !== 'string') return null;
  const match = /^(agent|customer-user):(\d{1,12})$/.exec(key);
  if (!match) return null;
  return { type: match[1] as PrincipalType, id: Number(match[2]) };
}
