import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { auditSubjectOf } from '../../audit/service.js';
import { etagOf, expectedVersion, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { methodNotAllowed, notFound } from '../../errors.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { QueueService } from '../queue-service.js';
import type { Queue } from '../queue-store.js';
import { queueCreateSchema, queuePatchSchema } from '../schema.js';
import { presentQueue, queueNameParam } from './schemas.js';

const nameOf = (req: Request): string => parseInput(queueNameParam, req.params.name);
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const answer = (res: Response, queue: Queue) => {
  res.set('ETag', etagOf(queue.version)).json(presentQueue(queue));
};

/** `/api/v1/queues`: everybody sees the queues that concern them; admins shape them. */
export function queueApi(deps: { queues: QueueService }): Router {
  const router = Router();
  const { queues } = deps;

  router.get('/queues', async (req, res) => {
    const actor = currentActor(req);
    // Queues are few: one page holds them all, and an unknown parameter still fails loudly.
    parseQuery(z.object({}), req.query);
    const items = (await queues.visibleTo(actor)).map(presentQueue);
    res.json({ items, total: items.length, limit: items.length });
  });

  router.post('/queues', apiRequires('queue.manage'), async (req, res) => {
    const actor = currentActor(req);
    const created = await queues.create(actor, parseBody(queueCreateSchema, req.body), auditSubjectOf(actor, req.ip ?? null));
    res.status(201).location(`${req.baseUrl}/queues/${encodeURIComponent(created.name)}`);
    answer(res, created);
  });

  router.get('/queues/:name', async (req, res) => {
    const actor = currentActor(req);
    const name = nameOf(req);
    // Through the same visibility as the list: a queue the caller may not see does not exist for them.
    const queue = (await queues.visibleTo(actor)).find((q) => sameName(q.name, name));
    if (!queue) throw notFound(`No queue ${name}.`);
    answer(res, queue);
  });

  router.patch('/queues/:name', apiRequires('queue.manage'), async (req, res) => {
    const actor = currentActor(req);
    const patch = parseBody(queuePatchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), patch.version) ?? patch.version;
    answer(res, await queues.update(actor, nameOf(req), { ...patch, version }, auditSubjectOf(actor, req.ip ?? null)));
  });

  router.delete('/queues/:name', (req, res) => {
    currentActor(req);
    res.set('Allow', 'GET, PATCH');
    throw methodNotAllowed('Queues are never deleted: set validity to invalid (PATCH {"validity":"invalid","version":n}).');
  });

  return router;
}
