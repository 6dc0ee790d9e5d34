import { Router } from 'express';
import type { DelegationPagesDeps } from './deps.js';
import { deputyPages } from './deputy-pages.js';
import { managePages } from './manage-pages.js';
import { minePages } from './mine-pages.js';

export type { DelegationPagesDeps } from './deps.js';
export { delegationLocals } from './locals.js';

/** The delegation screens: the key users' delegations page, "my delegations" and deputies. */
export function delegationPages(deps: DelegationPagesDeps): Router {
  const router = Router();
  router.use(managePages(deps));
  router.use(minePages(deps));
  router.use(deputyPages(deps));
  return router;
}
