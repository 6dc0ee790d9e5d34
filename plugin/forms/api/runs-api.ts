import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { parseBody, parseQuery } from '../../customers/api-schemas.js';
import { validationError } from '../../errors.js';
import { pathIdOf } from '../../web/validate.js';
import { idempotencyKeySchema } from '../../tickets/schema.js';
import { currentActor } from '../../web/middleware/guards.js';
import type { RunsService } from '../types.js';
import { decisionSchema, runListQuerySchema, runSubmitSchema } from './schemas.js';


function idempotencyKeyOf(req: Request): string | null {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return null;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw validationError('Idempotency-Key: 8-191 visible ASCII characters.', 'Idempotency-Key');
  return parsed.data;
}

/** Runs and approvals under `/api/v1`; the runs service decides who may see and do what. */
export function runsApi(deps: { formRuns: RunsService }): Router {
  const router = Router();
  const { formRuns } = deps;
  const subject = (req: Request) => auditSubjectOf(currentActor(req), req.ip ?? null);

  router.post('/forms/:key/runs', async (req, res) => {
    const actor = currentActor(req);
    const input = parseBody(runSubmitSchema, req.body);
    const { run, replayed } = await formRuns.submit(actor, String(req.params.key), { target: input.target, values: input.values }, idempotencyKeyOf(req), subject(req));
    res.location(`${req.baseUrl}/runs/${run.id}`);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(replayed ? 200 : 201).json(run);
  });

  router.get('/runs', async (req, res) => {
    const query = parseQuery(runListQuerySchema, req.query);
    const page = await formRuns.list(currentActor(req), { scope: query.scope, ...(query.state && { state: query.state }), ...(query.formKey !== undefined && { formKey: query.formKey }), limit: query.limit, offset: query.offset });
    res.set('Cache-Control', 'no-store');
    res.json({ items: page.items, total: page.total, limit: query.limit, offset: query.offset });
  });

  router.get('/runs/:id', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await formRuns.get(currentActor(req), pathIdOf(req.params.id, 'request')));
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    res.json(await formRuns.cancel(currentActor(req), pathIdOf(req.params.id, 'request'), subject(req)));
  });

  router.get('/approvals', async (req, res) => {
    const items = await formRuns.myApprovals(currentActor(req));
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: items.length });
  });

  for (const verb of ['approve', 'reject'] as const) {
    router.post(`/approvals/:id/${verb}`, async (req, res) => {
      const input = parseBody(decisionSchema, req.body ?? {});
      const run = await formRuns.decide(currentActor(req), pathIdOf(req.params.id, 'approval'), { approve: verb === 'approve', ...(input.comment !== undefined && { comment: input.comment }), ...(input.payloadHash !== undefined && { payloadHash: input.payloadHash }) }, subject(req));
      res.json(run);
    });
  }

  return router;
}
