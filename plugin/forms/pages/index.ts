import { Router } from 'express';
import { formAdminPages } from './admin-pages.js';
import { approvalPages } from './approval-pages.js';
import { cataloguePages } from './catalogue-pages.js';
import type { FormPagesDeps } from './deps.js';
import { runFormPages } from './run-form-pages.js';
import { runPages } from './run-pages.js';

export type { FormPagesDeps } from './deps.js';

/** The delegated-forms screens: admin editor, catalogues, the form, a run, approvals. */
export function formPages(deps: FormPagesDeps): Router {
  const router = Router();
  router.use(formAdminPages(deps));
  router.use(cataloguePages(deps));
  router.use(runFormPages(deps));
  router.use(runPages(deps));
  router.use(approvalPages(deps));
  return router;
}
