import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { GroupService } from '../../access/groups/service.js';
import { ALL_GROUPS } from '../../access/pages/deps.js';
import { VALIDITIES } from '../../agents/schema.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { notFound } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { QueueService } from '../queue-service.js';
import type { Queue } from '../queue-store.js';
import { queueCreateSchema, queuePatchSchema } from '../schema.js';
import { emptyQueueForm, queueForm, queueFormOf, queueProblem, ticketAdminNoticeFrom, withTicketAdminNotice, type QueueForm } from './admin-forms.js';

const nameParam = z.string().min(1).max(200);

export const queuesPath = (res: Response): string => `${loketBase(res)}/admin/queues`;
const editPath = (res: Response, name: string): string => `${queuesPath(res)}/${encodeURIComponent(name)}/edit`;

/**
 * Queues (admins, `queue.manage`): the list, a form to create one and one to edit it. The edit form
 * carries the version it was read at; a save over someone else's change is a 409 shown on the form.
 */
export function queueAdminPages(deps: { queues: QueueService; groups: GroupService }): Router {
  const router = Router();
  router.use('/admin/queues', pageRequires('queue.manage'));

  async function renderForm(res: Response, actor: Actor, view: { queue: Queue | null; form: QueueForm; problem: FormProblem | null; status?: number }) {
    const groups = (await deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 })).items;
    res.status(view.status ?? 200).render('admin/queue-form', {
      queue: view.queue,
      action: view.queue ? editPath(res, view.queue.name) : queuesPath(res),
      form: view.form,
      problem: view.problem,
      groups,
      validities: VALIDITIES,
    });
  }

  async function findQueue(req: Request): Promise<Queue> {
    const name = parseInput(nameParam, req.params.name);
    const queue = (await deps.queues.all()).find((q) => q.name.toLowerCase() === name.toLowerCase());
    if (!queue) throw notFound(`No queue ${name}.`);
    return queue;
  }

  router.get('/admin/queues', async (req, res) => {
    res.render('admin/queues', { queues: await deps.queues.all(), notice: ticketAdminNoticeFrom(req, translatorOf(res)) });
  });

  router.get('/admin/queues/new', async (req, res) => {
    await renderForm(res, currentActor(req), { queue: null, form: emptyQueueForm(), problem: null });
  });

  router.post('/admin/queues', async (req, res) => {
    const actor = currentActor(req);
    let form = emptyQueueForm();
    try {
      form = parseInput(queueForm, req.body);
      const input = parseInput(queueCreateSchema, { name: form.name, group: form.group, comment: form.comment, validity: form.validity });
      await deps.queues.create(actor, input, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withTicketAdminNotice(queuesPath(res), 'created'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderForm(res, actor, { queue: null, form, problem: queueProblem(refusal, translatorOf(res)), status: refusal.status });
    }
  });

  router.get('/admin/queues/:name/edit', async (req, res) => {
    const queue = await findQueue(req);
    await renderForm(res, currentActor(req), { queue, form: queueFormOf(queue), problem: null });
  });

  router.post('/admin/queues/:name/edit', async (req, res) => {
    const actor = currentActor(req);
    const queue = await findQueue(req);
    let form = queueFormOf(queue);
    try {
      form = parseInput(queueForm, req.body);
      const patch = parseInput(queuePatchSchema, { name: form.name, group: form.group, comment: form.comment, validity: form.validity, version: form.version });
      await deps.queues.update(actor, queue.name, patch, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withTicketAdminNotice(queuesPath(res), 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderForm(res, actor, { queue, form, problem: queueProblem(refusal, translatorOf(res)), status: refusal.status });
    }
  });

  return router;
}
