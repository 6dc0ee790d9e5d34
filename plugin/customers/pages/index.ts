import { Router } from 'express';
import { customerPages } from './customer-pages.js';
import { customerUserActions } from './customer-user-actions.js';
import { customerUserPages } from './customer-user-pages.js';
import type { CustomerScreenDeps } from './deps.js';
import { fieldMapPages } from './field-map-pages.js';
import { profilePages } from './profile-pages.js';

export type { CustomerScreenDeps } from './deps.js';

/** Every page of the customers feature: customers, customer users, the field map and the own profile. */
export function customerScreens(deps: CustomerScreenDeps): Router {
  const router = Router();
  router.use(customerPages(deps));
  router.use(customerUserActions(deps));
  router.use(customerUserPages(deps));
  router.use(fieldMapPages(deps));
  router.use(profilePages(deps));
  return router;
}
