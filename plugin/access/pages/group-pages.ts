import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { can } from '../policy.js';
import { VALIDITIES } from '../../agents/schema.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { NamedEntry } from '../groups/store.js';
import { ALL_GROUPS, ALL_SERVICES, type AccessScreenDeps } from './deps.js';
import { emptyNamedForm, namedForm, namedFormOf, namedListQuery, parseAssignmentForm, type NamedForm } from './forms.js';
import { serviceChecklist } from './grids.js';
import { loadMatrix, memberRoutes, type MatrixState } from './member-matrix.js';
import { accessNoticeFrom, withAccessNotice } from './notices.js';
import { accessProblem } from './problems.js';

const nameParam = z.string().min(1).max(200);

export const groupPath = (res: Response, name: string): string => `${loketBase(res)}/groups/${encodeURIComponent(name)}`;

const NAMED_TARGETS = { name: 'n-name', comment: 'n-comment', validity: 'n-validity', version: 'n-comment' };

export interface GroupPageState {
  form?: NamedForm;
  problem?: FormProblem | null;
  status?: number;
  services?: string[];
  matrix?: MatrixState;
}

/** Groups: the list with search and create, and one group's page (edit, services, the members matrix). */
export function groupPages(deps: AccessScreenDeps): Router {
  const router = Router();
  router.use('/groups', pageRequires('group.read'));
  const manageGroups = pageRequires('group.manage');
  const manageAssignments = pageRequires('assignment.manage');

  async function renderList(req: Request, res: Response, form: NamedForm, problem: FormProblem | null, status = 200) {
    const query = parseInput(namedListQuery, req.query);
    const page = await deps.groups.list(currentActor(req), { ...query, limit: ALL_GROUPS, offset: 0 });
    res.status(status).render('access/groups', {
      groups: page.items,
      shown: page.items.length,
      total: page.total,
      query: { search: query.search ?? '', validity: query.validity ?? '' },
      validities: VALIDITIES,
      form,
      problem,
      notice: status === 200 ? accessNoticeFrom(req, translatorOf(res)) : null,
    });
  }

  async function renderGroup(req: Request, res: Response, actor: Actor, group: NamedEntry, state: GroupPageState = {}) {
    const types = (await deps.groups.permissionTypes()).map((t) => t.name);
    const assigned = state.services ?? (await deps.assignments.servicesOf(actor, { kind: 'group', name: group.name })).services;
    const services = can(actor, 'assignment.manage')
      ? serviceChecklist('g-svc', (await deps.catalogue.list(actor, { limit: ALL_SERVICES, offset: 0 })).items, assigned)
      : null;
    const matrix = await loadMatrix(deps, req, res, actor, group, types, state.matrix);
    res.status(state.status ?? 200).render('access/group', {
      group,
      path: groupPath(res, group.name),
      form: state.form ?? namedFormOf(group),
      problem: state.problem ?? matrix.problem,
      validities: VALIDITIES,
      types,
      services,
      assigned,
      matrix,
      notice: state.status ? null : accessNoticeFrom(req, translatorOf(res)),
    });
  }

  const findGroup = (req: Request) => deps.groups.get(currentActor(req), parseInput(nameParam, req.params.name));

  router.get('/groups', async (req, res) => {
    await renderList(req, res, emptyNamedForm(), null);
  });

  router.post('/groups', manageGroups, async (req, res) => {
    const actor = currentActor(req);
    let form = emptyNamedForm();
    try {
      form = parseInput(namedForm, req.body);
      const created = await deps.groups.create(actor, { name: form.name, comment: form.comment, validity: form.validity }, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withAccessNotice(groupPath(res, created.name), 'created'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderList(req, res, form, accessProblem(refusal, translatorOf(res), 'group', NAMED_TARGETS), refusal.status);
    }
  });

  router.get('/groups/:name', async (req, res) => {
    await renderGroup(req, res, currentActor(req), await findGroup(req));
  });

  router.post('/groups/:name', manageGroups, async (req, res) => {
    const actor = currentActor(req);
    const group = await findGroup(req);
    let form = namedFormOf(group);
    try {
      form = { ...parseInput(namedForm, req.body), name: group.name };
      await deps.groups.update(actor, group.name, { comment: form.comment, validity: form.validity }, auditSubjectOf(actor, req.ip ?? null), form.version);
      res.redirect(303, withAccessNotice(groupPath(res, group.name), 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderGroup(req, res, actor, group, { form, problem: accessProblem(refusal, translatorOf(res), 'group', NAMED_TARGETS), status: refusal.status });
    }
  });

  router.post('/groups/:name/services', manageAssignments, async (req, res) => {
    const actor = currentActor(req);
    const group = await findGroup(req);
    const { services } = parseAssignmentForm(req.body);
    try {
      await deps.assignments.setServices(actor, { kind: 'group', name: group.name }, { services }, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withAccessNotice(groupPath(res, group.name), 'servicesSaved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderGroup(req, res, actor, group, { services, problem: accessProblem(refusal, translatorOf(res), 'assignment', { services: 'g-svc-list' }), status: refusal.status });
    }
  });

  router.use(memberRoutes(deps, { findGroup, renderGroup, manage: manageAssignments }));
  return router;
}
