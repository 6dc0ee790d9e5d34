import { Router } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput, pathIdOf } from '../../web/validate.js';
import type { FormPagesDeps } from './deps.js';
import { pageSignedIn } from './guards.js';
import { emptyForm, readerLanguage } from './inputs.js';
import { formsNoticeFrom, withFormsNotice } from './notices.js';
import { formPaths } from './paths.js';
import { describeFormsError, formsRefusal } from './problems.js';
import { runView } from './run-view.js';

/** One run as its requester and approvers see it (the engine answers 404 to anybody else), and cancelling it. */
export function runPages(deps: FormPagesDeps): Router {
  const router = Router();
  router.use('/runs', pageSignedIn());

  router.get('/runs/:id', async (req, res) => {
    const actor = currentActor(req);
    const run = await deps.formRuns.get(actor, pathIdOf(req.params.id, 'run'));
    const paths = formPaths(res);
    res.render('forms/run', { ...(await runView(deps.forms, actor, run, readerLanguage(res), paths)), paths, problem: null, notice: formsNoticeFrom(req, translatorOf(res)) });
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    parseInput(emptyForm, req.body);
    const actor = currentActor(req);
    const id = pathIdOf(req.params.id, 'run');
    const paths = formPaths(res);
    try {
      await deps.formRuns.cancel(actor, id, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withFormsNotice(paths.run(id), 'cancelled'));
    } catch (err) {
      const refusal = formsRefusal(err);
      if (!refusal) throw err;
      const run = await deps.formRuns.get(actor, id);
      const problem = { field: null, target: null, message: describeFormsError(refusal, translatorOf(res)) };
      res.status(refusal.status).render('forms/run', { ...(await runView(deps.forms, actor, run, readerLanguage(res), paths)), paths, problem, notice: null });
    }
  });

  return router;
}
