import { Router, type Request, type Response } from 'express';
import { ownKeyUserOf } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput, pathIdOf } from '../../web/validate.js';
import type { DelegationPagesDeps } from './deps.js';
import { dateAfter, deputyForm, deputyInputOf, emptyForm, type DeputyForm } from './inputs.js';
import { delegationNoticeFrom, withDelegationNotice } from './notices.js';
import { delegationPaths } from './paths.js';
import { delegationProblem, delegationRefusal } from './problems.js';

type DeputyValues = Omit<DeputyForm, '_csrf'>;

interface DeputyState {
  status?: number;
  problem?: FormProblem | null;
  form?: DeputyValues;
}

const CONTROLS = { principal: 'dp-principal', deputy: 'dp-deputy', startsAt: 'dp-starts', endsAt: 'dp-ends', reason: 'dp-reason' };

/**
 * Holiday deputies: the people the person stands in for and who stands in for them, and (key users)
 * those of their customers; naming a deputy for oneself or, as key user, for a colleague; revoking.
 * Who may do what is the deputy service's decision.
 */
export function deputyPages(deps: DelegationPagesDeps): Router {
  const router = Router();
  router.use('/portal/deputies', pageRequires('portal.use'));

  async function render(req: Request, res: Response, state: DeputyState = {}): Promise<void> {
    const actor = currentActor(req);
    const rows = await deps.deputies.list(actor);
    res.status(state.status ?? 200).render('delegation/deputies', {
      rows,
      self: actor.principal.id,
      mayName: !actor.delegation && can(actor, 'deputy.manage'),
      forColleagues: ownKeyUserOf(actor).length > 0,
      delegated: actor.delegation !== null,
      form: state.form ?? { principal: '', deputy: '', startsAt: dateAfter(0), endsAt: dateAfter(7), reason: '' },
      problem: state.problem ?? null,
      notice: state.status ? null : delegationNoticeFrom(req, translatorOf(res)),
      paths: delegationPaths(res),
    });
  }

  router.get('/portal/deputies', async (req, res) => {
    await render(req, res);
  });

  router.post('/portal/deputies', async (req, res) => {
    const actor = currentActor(req);
    const form = parseInput(deputyForm, req.body);
    try {
      await deps.deputies.create(actor, deputyInputOf(form), auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withDelegationNotice(delegationPaths(res).deputies, 'deputyCreated'));
    } catch (err) {
      const refusal = delegationRefusal(err, true);
      if (!refusal) throw err;
      const { _csrf: _, ...kept } = form;
      await render(req, res, { status: refusal.status, problem: delegationProblem(refusal, translatorOf(res), CONTROLS, 'dp-deputy'), form: kept });
    }
  });

  router.post('/portal/deputies/:id/revoke', async (req, res) => {
    const actor = currentActor(req);
    parseInput(emptyForm, req.body);
    await deps.deputies.revoke(actor, pathIdOf(req.params.id, 'deputy'), auditSubjectOf(actor, req.ip ?? null));
    res.redirect(303, withDelegationNotice(delegationPaths(res).deputies, 'deputyRevoked'));
  });

  return router;
}
