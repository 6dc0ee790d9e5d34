import { Router } from 'express';
import { z } from 'zod';
import { auditSubjectOf } from '../../audit/service.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { CustomerScreenDeps } from './deps.js';
import { formRefusal, translatorOf } from './form-errors.js';
import { formText, withNotice } from './form-values.js';
import { sendSetPasswordLink } from './password-link.js';
import { userFormOf, userFormProblem } from './user-form.js';
import { renderUserPage, userPath } from './user-page.js';

const loginParam = z.string().min(1).max(191);
const anonymiseForm = z.object({ confirm: formText(191) });

/** The buttons beside the edit form: mail a set-password link, and GDPR anonymisation. */
export function customerUserActions(deps: CustomerScreenDeps): Router {
  const router = Router();

  router.post('/customer-users/:login/password-link', pageRequires('customer-user.manage'), async (req, res) => {
    const actor = currentActor(req);
    const user = await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login));
    const outcome = await sendSetPasswordLink(deps, req, res, actor, user);
    res.redirect(303, withNotice(userPath(res, user.login), outcome));
  });

  router.post('/customer-users/:login/anonymise', pageRequires('customer-user.anonymise'), async (req, res) => {
    const actor = currentActor(req);
    const user = await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login));
    const { confirm } = parseInput(anonymiseForm, req.body);
    try {
      const anonymised = await deps.accounts.anonymise(actor, user.login, confirm, auditSubjectOf(actor, req.ip ?? null));
      // The login itself was personal data: the user lives on under the placeholder login.
      res.redirect(303, withNotice(userPath(res, anonymised.login), 'anonymised'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      const map = await deps.customerUsers.recordMap(user.backend);
      const form = userFormOf(user, map);
      renderUserPage(res, actor, user, map, { status: refusal.status, confirm, problem: userFormProblem(refusal, map, form, 'edit', translatorOf(res)) });
    }
  });

  return router;
}
