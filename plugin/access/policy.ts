import { forbidden, unauthenticated } from '../errors.js';
import type { Actor, Role } from './actor.js';

/**
 * The one place that decides access. Screens, API, lists, search and exports all ask here.
 * Capabilities are coarse (areas and account administration) in the foundation; later features add
 * object-level checks beside them so every path keeps asking the same module.
 */
export type Capability =
  | 'portal.use'
  | 'agent.use'
  | 'admin.use'
  | 'api-token.own'
  | 'api-token.manage'
  | 'agent-account.manage'
  | 'audit.read';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: ['agent.use', 'admin.use', 'api-token.own', 'api-token.manage', 'agent-account.manage', 'audit.read'],
  agent: ['agent.use', 'api-token.own'],
  customer: ['portal.use'],
  'key-user': ['portal.use'],
  manager: ['portal.use'],
};

export function can(actor: Actor | null | undefined, capability: Capability): boolean {
  if (!actor) return false;
  return actor.roles.some((role) => GRANTS[role].includes(capability));
}

/** Throws 401 for nobody and 403 for somebody without the capability; returns the actor otherwise. */
export function requireCapability(actor: Actor | null | undefined, capability: Capability): Actor {
  if (!actor) throw unauthenticated();
  if (!can(actor, capability)) throw forbidden();
  return actor;
}

/** The area a person lands in after login. */
export function homePathFor(actor: Actor): '/admin' | '/agent' | '/portal' {
  if (can(actor, 'admin.use')) return '/admin';
  if (can(actor, 'agent.use')) return '/agent';
  return '/portal';
}
