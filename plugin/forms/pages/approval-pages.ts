import { Router, type Request, type Response } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { notFound } from '../../errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput, pathIdOf } from '../../web/validate.js';
import type { ApprovalView, FormRun } from '../types.js';
import type { FormPagesDeps } from './deps.js';
import { pageSignedIn } from './guards.js';
import { decisionForm, readerLanguage } from './inputs.js';
import { formsNoticeFrom, withFormsNotice } from './notices.js';
import { formPaths } from './paths.js';
import { describeFormsError, formsRefusal } from './problems.js';
import { runView } from './run-view.js';

/**
 * The approver's pages: what waits for them, and one approval with the exact payload it binds. The
 * decision carries the payload hash the page showed, so a run changed meanwhile is refused (409) rather
 * than approved unseen. The approval e-mail links here; without a session the visitor signs in first.
 */
export function approvalPages(deps: FormPagesDeps): Router {
  const router = Router();
  router.use('/approvals', pageSignedIn());

  async function pendingFor(req: Request, id: number): Promise<{ approval: ApprovalView; run: FormRun; onBehalfOf: ApprovalView['approver'] | null } | null> {
    return (await deps.formRuns.myApprovals(currentActor(req))).find((p) => p.approval.id === id) ?? null;
  }

  async function render(req: Request, res: Response, id: number, state: { problem?: FormProblem | null; status?: number; comment?: string }): Promise<void> {
    const pending = await pendingFor(req, id);
    const paths = formPaths(res);
    // Nothing of this approval is shown unless it waits for this person: a refusal says only why.
    if (!pending && !state.problem) throw notFound('No approval of yours waits under this number.');
    res.status(state.status ?? 200).render('forms/approval', {
      approvalId: id,
      approval: pending?.approval ?? null,
      onBehalfOf: pending?.onBehalfOf ?? null,
      detail: pending ? await runView(deps.forms, currentActor(req), pending.run, readerLanguage(res), paths) : null,
      comment: state.comment ?? '',
      problem: state.problem ?? null,
      paths,
    });
  }

  router.get('/approvals', async (req, res) => {
    const pending = await deps.formRuns.myApprovals(currentActor(req));
    res.render('forms/approvals', { pending, paths: formPaths(res), notice: formsNoticeFrom(req, translatorOf(res)) });
  });

  router.get('/approvals/:id', async (req, res) => {
    await render(req, res, pathIdOf(req.params.id, 'approval'), {});
  });

  router.post('/approvals/:id', async (req, res) => {
    const actor = currentActor(req);
    const id = pathIdOf(req.params.id, 'approval');
    const form = parseInput(decisionForm, req.body);
    try {
      const approve = form.decision === 'approve';
      const run = await deps.formRuns.decide(
        actor,
        id,
        { approve, ...(form.comment !== '' && { comment: form.comment }), ...(form.payloadHash !== '' && { payloadHash: form.payloadHash }) },
        auditSubjectOf(actor, req.ip ?? null),
      );
      res.redirect(303, withFormsNotice(formPaths(res).run(run.id), approve ? 'approved' : 'rejected'));
    } catch (err) {
      const refusal = formsRefusal(err);
      if (!refusal) throw err;
      const problem = { field: null, target: null, message: describeFormsError(refusal, translatorOf(res)) };
      await render(req, res, id, { problem, status: refusal.status, comment: form.comment });
    }
  });

  return router;
}
