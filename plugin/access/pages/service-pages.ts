import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { VALIDITIES } from '../../agents/schema.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { NamedEntry } from '../groups/store.js';
import { ALL_SERVICES, type AccessScreenDeps } from './deps.js';
import { emptyNamedForm, namedForm, namedFormOf, type NamedForm } from './forms.js';
import { accessNoticeFrom, withAccessNotice } from './notices.js';
import { accessProblem } from './problems.js';
import { serviceTree } from './service-tree.js';

const nameParam = z.string().min(1).max(200);
const NAMED_TARGETS = { name: 'n-name', comment: 'n-comment', validity: 'n-validity', version: 'n-comment' };

const servicePath = (res: Response, name: string) => `${loketBase(res)}/services/${encodeURIComponent(name)}`;

/** The services catalogue as a tree with create, and one service's page (edit and who holds it). */
export function servicePages(deps: AccessScreenDeps): Router {
  const router = Router();
  router.use('/services', pageRequires('service.read'));
  const manage = pageRequires('service.manage');

  async function renderTree(req: Request, res: Response, form: NamedForm, problem: FormProblem | null, status = 200) {
    const page = await deps.catalogue.list(currentActor(req), { limit: ALL_SERVICES, offset: 0 });
    res.status(status).render('access/services', {
      tree: serviceTree(page.items),
      shown: page.items.length,
      total: page.total,
      validities: VALIDITIES,
      form,
      problem,
      notice: status === 200 ? accessNoticeFrom(req, translatorOf(res)) : null,
    });
  }

  async function renderService(req: Request, res: Response, actor: Actor, service: NamedEntry, state: { form?: NamedForm; problem?: FormProblem; status?: number } = {}) {
    res.status(state.status ?? 200).render('access/service', {
      service,
      path: servicePath(res, service.name),
      parents: service.name.split('::').slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join('::')),
      holders: await deps.catalogue.holders(actor, service.name),
      form: state.form ?? namedFormOf(service),
      problem: state.problem ?? null,
      validities: VALIDITIES,
      notice: state.status ? null : accessNoticeFrom(req, translatorOf(res)),
    });
  }

  const findService = (req: Request) => deps.catalogue.get(currentActor(req), parseInput(nameParam, req.params.name));

  router.get('/services', async (req, res) => {
    await renderTree(req, res, emptyNamedForm(), null);
  });

  router.post('/services', manage, async (req, res) => {
    const actor = currentActor(req);
    let form = emptyNamedForm();
    try {
      form = parseInput(namedForm, req.body);
      const created = await deps.catalogue.create(actor, { name: form.name, comment: form.comment, validity: form.validity }, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withAccessNotice(servicePath(res, created.name), 'created'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderTree(req, res, form, accessProblem(refusal, translatorOf(res), 'service', NAMED_TARGETS), refusal.status);
    }
  });

  router.get('/services/:name', async (req, res) => {
    await renderService(req, res, currentActor(req), await findService(req));
  });

  router.post('/services/:name', manage, async (req, res) => {
    const actor = currentActor(req);
    const service = await findService(req);
    let form = namedFormOf(service);
    try {
      form = { ...parseInput(namedForm, req.body), name: service.name };
      await deps.catalogue.update(actor, service.name, { comment: form.comment, validity: form.validity }, auditSubjectOf(actor, req.ip ?? null), form.version);
      res.redirect(303, withAccessNotice(servicePath(res, service.name), 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderService(req, res, actor, service, { form, problem: accessProblem(refusal, translatorOf(res), 'service', NAMED_TARGETS), status: refusal.status });
    }
  });

  return router;
}
