import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { can, type Capability } from '../policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf } from '../../customers/pages/form-errors.js';
import { renderUserPage, userPath } from '../../customers/pages/user-page.js';
import { LoketError } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { AccessScreenDeps } from './deps.js';
import { parseAssignmentForm, type TickedAssignments } from './forms.js';
import { accessProblem } from './problems.js';
import { loadCustomerSection, loadUserSection, type SectionState } from './sections.js';

const loginParam = z.string().min(1).max(191);
const customerIdParam = z.string().min(1).max(150);

/**
 * Loads a section before the customers feature's own route renders the page, into `res.locals.accessSection`.
 * It stays out of that route's way: without the capability, or for a login or customer the reader cannot
 * see (or a path word such as `new`), it loads nothing and the page's own route answers as it always does.
 */
function attachSection(needs: Capability, load: (req: Request, res: Response, actor: Actor) => Promise<unknown>): RequestHandler {
  return async (req, res, next) => {
    const actor = req.user;
    if (actor && can(actor, needs)) {
      try {
        res.locals.accessSection = await load(req, res, actor);
      } catch (err) {
        if (!(err instanceof LoketError && (err.status === 403 || err.status === 404 || err.status === 400))) throw err;
      }
    }
    next();
  };
}

/**
 * Both directions on the people's own pages: a customer user's groups and services with the effective
 * permissions (and their preview), and a customer's groups and services.
 */
export function sectionPages(deps: AccessScreenDeps): Router {
  const router = Router();
  const manage = pageRequires('assignment.manage');

  const userSection = attachSection('customer-user.read', async (req, res, actor) =>
    loadUserSection(deps, res, actor, await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login))),
  );
  // The pages that render the customer-user page: view, edit (re-shown on a refusal) and anonymise (likewise).
  router.get('/customer-users/:login', userSection);
  router.post('/customer-users/:login', userSection);
  router.post('/customer-users/:login/anonymise', userSection);

  const customerSection = attachSection('group.read', (req, res, actor) => loadCustomerSection(deps, res, actor, parseInput(customerIdParam, req.params.customerId)));
  router.get('/customers/:customerId', customerSection);
  router.post('/customers/:customerId', customerSection);
  router.post('/customers/:customerId/users', customerSection);

  /** Re-shows the customer-user page with the boxes as sent and either the preview or the refusal. */
  async function renderUser(res: Response, actor: Actor, login: string, state: SectionState, status: number) {
    const user = await deps.customerUsers.get(actor, login);
    res.locals.accessSection = await loadUserSection(deps, res, actor, user, state);
    renderUserPage(res, actor, user, await deps.customerUsers.recordMap(user.backend), { status });
  }

  async function saveTicked(actor: Actor, target: { kind: 'customer-user'; login: string } | { kind: 'customer'; customerId: string }, ticked: TickedAssignments, req: Request) {
    const subject = auditSubjectOf(actor, req.ip ?? null);
    await deps.assignments.setGroups(actor, target, { groups: ticked.groups }, subject);
    await deps.assignments.setServices(actor, target, { services: ticked.services }, subject);
  }

  const userTargets = { groups: 'acc-u-grid', services: 'acc-us-list' };

  router.post('/customer-users/:login/assignments', manage, async (req, res) => {
    const actor = currentActor(req);
    const user = await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login));
    const ticked = parseAssignmentForm(req.body);
    try {
      await saveTicked(actor, { kind: 'customer-user', login: user.login }, ticked, req);
      res.redirect(303, `${userPath(res, user.login)}?notice=saved`);
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderUser(res, actor, user.login, { ticked, problem: accessProblem(refusal, translatorOf(res), 'assignment', userTargets) }, refusal.status);
    }
  });

  // Without JavaScript the Preview button posts here: the page comes back with the boxes as ticked and
  // the effective permissions they would give. Nothing is written.
  router.post('/customer-users/:login/assignments/preview', manage, async (req, res) => {
    const actor = currentActor(req);
    const login = parseInput(loginParam, req.params.login);
    const ticked = parseAssignmentForm(req.body);
    try {
      const preview = await deps.assignments.preview(actor, login, ticked);
      await renderUser(res, actor, login, { ticked, preview }, 200);
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderUser(res, actor, login, { ticked, problem: accessProblem(refusal, translatorOf(res), 'assignment', userTargets) }, refusal.status);
    }
  });

  // A refusal here only follows tampering or a group renamed meanwhile; the error page names the entry.
  router.post('/customers/:customerId/assignments', manage, async (req, res) => {
    const actor = currentActor(req);
    const customer = await deps.customers.get(actor, parseInput(customerIdParam, req.params.customerId));
    await saveTicked(actor, { kind: 'customer', customerId: customer.customerId }, parseAssignmentForm(req.body), req);
    res.redirect(303, `${loketBase(res)}/customers/${encodeURIComponent(customer.customerId)}?notice=saved`);
  });

  return router;
}
