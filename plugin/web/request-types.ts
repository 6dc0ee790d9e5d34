import type { Actor } from '../access/actor.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user is our Actor.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms of the login that created this session: the absolute lifetime counts from here. */
    loginAt?: number;
  }
}

export {};
