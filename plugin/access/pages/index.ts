import { Router } from 'express';
import { defaultsPages } from './defaults-pages.js';
import type { AccessScreenDeps } from './deps.js';
import { groupPages } from './group-pages.js';
import { sectionPages } from './section-pages.js';
import { servicePages } from './service-pages.js';

export type { AccessScreenDeps } from './deps.js';

/**
 * Every page of groups, services and assignments. Mount ahead of the customer screens: the sections on
 * the customer-user and customer pages are loaded here before those pages render.
 */
export function accessScreens(deps: AccessScreenDeps): Router {
  const router = Router();
  router.use(groupPages(deps));
  router.use(servicePages(deps));
  router.use(defaultsPages(deps));
  router.use(sectionPages(deps));
  return router;
}
