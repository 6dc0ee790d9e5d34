import { Router, type Request, type Response } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput, pathIdOf } from '../../web/validate.js';
import { DEFAULT_DAYS, DELEGATION_ROLES, REVIEW_DAYS, type DelegationView } from '../types.js';
import type { DelegationPagesDeps } from './deps.js';
import { confirmForm, customerQuery, dateAfter, emptyForm, extendForm, extendInputOf, grantForm, grantInputOf } from './inputs.js';
import { delegationNoticeFrom, withDelegationNotice, type DelegationNotice } from './notices.js';
import { delegationPaths } from './paths.js';
import { delegationProblem, delegationRefusal } from './problems.js';

/** What the grant form shows: the person's input after a refusal, the defaults otherwise. */
interface GrantValues {
  email: string;
  role: string;
  endsAt: string;
  openEnded: boolean;
  reason: string;
}

interface ManageState {
  status?: number;
  problem?: FormProblem | null;
  grant?: GrantValues;
  /** The extend form of one row, as the person sent it. */
  extend?: { id: number; endsAt: string; openEnded: boolean };
}

const GRANT_CONTROLS = { email: 'dl-email', role: 'dl-role', endsAt: 'dl-ends', reason: 'dl-reason', customerId: 'dl-email' };
const newestFirst = (a: DelegationView, b: DelegationView) => b.id - a.id;

/**
 * The key users' delegations page: grant, the current delegations with extend, revoke and "still
 * needed", the history, and the usage report (delegated activity counted to the organisation). Only
 * key users of the organisation, in their own session: the service refuses anybody else (403).
 */
export function managePages(deps: DelegationPagesDeps): Router {
  const router = Router();
  router.use('/portal/delegations', pageRequires('portal.use'));

  async function render(req: Request, res: Response, wanted: string | undefined, state: ManageState = {}): Promise<void> {
    const actor = currentActor(req);
    const managed = deps.delegations.managedCustomers(actor);
    const customerId = wanted ?? managed[0] ?? actor.effectiveCustomerId ?? '';
    // The service decides: a plain user, another tenant's ID or a delegated session get its 403.
    const rows = (await deps.delegations.listForCustomer(actor, customerId)).sort(newestFirst);
    const usage = await deps.delegations.usage(actor, customerId);
    const customers = (await deps.customers.findMany([...new Set([...managed, customerId])])).sort((a, b) => a.name.localeCompare(b.name));
    const t = translatorOf(res);
    res.status(state.status ?? 200).render('delegation/manage', {
      customerId,
      customerName: customers.find((c) => c.customerId === customerId)?.name ?? customerId,
      customers: managed.length > 1 ? customers.filter((c) => managed.includes(c.customerId)) : [],
      current: rows.filter((d) => d.status === 'active' || d.status === 'scheduled'),
      history: rows.filter((d) => d.status === 'expired' || d.status === 'revoked'),
      usage,
      roles: DELEGATION_ROLES,
      reviewDays: REVIEW_DAYS,
      grant: state.grant ?? { email: '', role: 'customer', endsAt: dateAfter(DEFAULT_DAYS), openEnded: false, reason: '' },
      extend: state.extend ?? null,
      defaultEnd: dateAfter(DEFAULT_DAYS),
      today: dateAfter(0),
      problem: state.problem ?? null,
      notice: state.status ? null : delegationNoticeFrom(req, t),
      paths: delegationPaths(res),
    });
  }

  const done = (res: Response, notice: DelegationNotice, customerId: string) => {
    res.redirect(303, withDelegationNotice(delegationPaths(res).grant, notice, { customerId }));
  };

  /** A change of one delegation: done, back to the list; refused on the input, the page again with the refusal. */
  async function change(req: Request, res: Response, run: (id: number) => Promise<{ notice: DelegationNotice; customerId: string }>, refused: (id: number, err: LoketError) => ManageState): Promise<void> {
    const id = pathIdOf(req.params.id, 'delegation');
    try {
      const { notice, customerId } = await run(id);
      done(res, notice, customerId);
    } catch (err) {
      const refusal = delegationRefusal(err);
      if (!refusal) throw err;
      const d = await deps.delegations.get(currentActor(req), id);
      await render(req, res, d.customerId, { status: refusal.status, ...refused(id, refusal) });
    }
  }

  router.get('/portal/delegations', async (req, res) => {
    await render(req, res, customerQuery.parse(req.query).customerId);
  });

  router.post('/portal/delegations', async (req, res) => {
    const actor = currentActor(req);
    const form = parseInput(grantForm, req.body);
    try {
      const d = await deps.delegations.grant(actor, grantInputOf(form), auditSubjectOf(actor, req.ip ?? null));
      done(res, 'granted', d.customerId);
    } catch (err) {
      const refusal = delegationRefusal(err);
      if (!refusal) throw err;
      const kept: GrantValues = { email: form.email, role: form.role, endsAt: form.endsAt, openEnded: form.openEnded, reason: form.reason };
      const customerId = form.customerId.trim();
      await render(req, res, customerId === '' ? undefined : customerId, { status: refusal.status, problem: delegationProblem(refusal, translatorOf(res), GRANT_CONTROLS, 'dl-email'), grant: kept });
    }
  });

  router.post('/portal/delegations/:id/extend', async (req, res) => {
    const actor = currentActor(req);
    const form = parseInput(extendForm, req.body);
    await change(
      req,
      res,
      async (id) => ({ notice: 'extended', customerId: (await deps.delegations.extend(actor, id, extendInputOf(form), auditSubjectOf(actor, req.ip ?? null))).customerId }),
      (id, err) => ({
        problem: delegationProblem(err, translatorOf(res), { endsAt: `dl-extend-${id}-date` }, `dl-extend-${id}-date`),
        extend: { id, endsAt: form.endsAt, openEnded: form.openEnded },
      }),
    );
  });

  router.post('/portal/delegations/:id/revoke', async (req, res) => {
    const actor = currentActor(req);
    const form = parseInput(confirmForm, req.body);
    await change(
      req,
      res,
      async (id) => {
        if (!form.confirm) throw new LoketError({ status: 400, code: 'confirm_missing', message: 'Confirm that you revoke this delegation.', field: 'confirm' });
        return { notice: 'revoked', customerId: (await deps.delegations.revoke(actor, id, auditSubjectOf(actor, req.ip ?? null))).customerId };
      },
      (id, err) => ({ problem: delegationProblem(err, translatorOf(res), { confirm: `dl-revoke-${id}-confirm` }, `dl-revoke-${id}-confirm`) }),
    );
  });

  router.post('/portal/delegations/:id/review', async (req, res) => {
    const actor = currentActor(req);
    parseInput(emptyForm, req.body);
    await change(
      req,
      res,
      async (id) => ({ notice: 'reviewed', customerId: (await deps.delegations.review(actor, id, auditSubjectOf(actor, req.ip ?? null))).customerId }),
      (_id, err) => ({ problem: delegationProblem(err, translatorOf(res), {}) }),
    );
  });

  return router;
}
