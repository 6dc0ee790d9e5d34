import type { Actor } from '../access/actor.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user is our Actor.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
    interface Request {
      /** The person's own actor while `user` works in another organisation through a delegation. */
      ownActor?: Actor;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms of the login that created this session: the absolute lifetime counts from here. */
    loginAt?: number;
    /** The delegation this session works through (plugin/delegation/), checked again on every request. */
    organisation?: { delegationId: number; customerId: string };
    /** Shown once on the next page: the effective organisation changed (switch, or a delegation that ended). */
    organisationNotice?: { kind: 'switched-in' | 'switched-out' | 'ended'; customerName: string; status?: string };
  }
}

export {};
