import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import type { DefaultScope } from '../effective-permissions.js';
import { ALL_GROUPS, ALL_SERVICES, type AccessScreenDeps } from './deps.js';
import { parseAssignmentForm, type TickedAssignments } from './forms.js';
import { groupGrid, serviceChecklist } from './grids.js';
import { accessNoticeFrom, withAccessNotice } from './notices.js';
import { accessProblem } from './problems.js';
import { parseInput } from '../../web/validate.js';

const scopeParam = z.enum(['customer-users', 'customers']);
const PREFIX: Record<DefaultScope, string> = { 'customer-users': 'd-u', customers: 'd-c' };

/** What was sent to one of the three forms, shown again after a refusal. */
interface DefaultsState { part: DefaultScope | 'services'; ticked: TickedAssignments; problem: FormProblem; status: number }

/**
 * Defaults for everybody: groups every customer user holds, groups every customer holds (and so its
 * users), and services everybody is entitled to. Three forms, each saved on its own.
 */
export function defaultsPages(deps: AccessScreenDeps): Router {
  const router = Router();
  router.use('/admin/defaults', pageRequires('assignment.manage'));
  const path = (res: Response) => `${loketBase(res)}/admin/defaults`;

  async function render(req: Request, res: Response, actor: Actor, state?: DefaultsState) {
    const types = (await deps.groups.permissionTypes()).map((t) => t.name);
    const groups = (await deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 })).items;
    const grants = async (scope: DefaultScope) =>
      state?.part === scope ? state.ticked.groups : (await deps.assignments.groupsOf(actor, { kind: 'default', scope })).groups;
    const services = state?.part === 'services' ? state.ticked.services : (await deps.assignments.servicesOf(actor, { kind: 'default', scope: 'customer-users' })).services;
    res.status(state?.status ?? 200).render('access/defaults', {
      grids: await Promise.all(
        (['customer-users', 'customers'] as const).map(async (scope) => ({ scope, action: `${path(res)}/${scope}`, grid: groupGrid(PREFIX[scope], groups, await grants(scope), types) })),
      ),
      services: serviceChecklist('d-s', (await deps.catalogue.list(actor, { limit: ALL_SERVICES, offset: 0 })).items, services),
      servicesAction: `${path(res)}/services`,
      problem: state?.problem ?? null,
      notice: state ? null : accessNoticeFrom(req, translatorOf(res)),
    });
  }

  async function save(req: Request, res: Response, part: DefaultScope | 'services') {
    const actor = currentActor(req);
    const ticked = parseAssignmentForm(req.body);
    const subject = auditSubjectOf(actor, req.ip ?? null);
    try {
      if (part === 'services') await deps.assignments.setServices(actor, { kind: 'default', scope: 'customer-users' }, { services: ticked.services }, subject);
      else await deps.assignments.setGroups(actor, { kind: 'default', scope: part }, { groups: ticked.groups }, subject);
      res.redirect(303, withAccessNotice(path(res), 'defaultsSaved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      const target = part === 'services' ? 'd-s-list' : `${PREFIX[part]}-grid`;
      await render(req, res, actor, { part, ticked, status: refusal.status, problem: accessProblem(refusal, translatorOf(res), 'assignment', { groups: target, services: target }) });
    }
  }

  router.get('/admin/defaults', async (req, res) => {
    await render(req, res, currentActor(req));
  });
  // Services first: `services` is not a scope, and the scope route would refuse it with a 400.
  router.post('/admin/defaults/services', async (req, res) => {
    await save(req, res, 'services');
  });
  router.post('/admin/defaults/:scope', async (req, res) => {
    await save(req, res, parseInput(scopeParam, req.params.scope));
  });

  return router;
}
