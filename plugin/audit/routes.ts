import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentActor, loketBase, pageRequires } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { auditDiff } from './diff.js';
import { beforeIdField, limitField, optionalText, sinceField, sinceToTimestamp } from './schema.js';
import type { AuditService } from './service.js';

const filterForm = z.object({
  actor: optionalText(191),
  objectType: optionalText(64),
  objectId: optionalText(191),
  since: sinceField,
  limit: limitField,
  beforeId: beforeIdField,
});
type FilterForm = z.output<typeof filterForm>;

type VerifyResult = Awaited<ReturnType<AuditService['verifyAsActor']>>;

/** The form's fields as a query string, for the paging links. */
function queryOf(form: Omit<FilterForm, 'beforeId'>, beforeId?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...form, beforeId })) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

/** Admin screen: read the audit log, page back through it and check its hash chain. */
export function auditAdminRoutes(deps: { audit: AuditService }): Router {
  const router = Router();
  router.use('/admin/audit', pageRequires('audit.read'));

  async function render(req: Request, res: Response, form: FilterForm, verified: VerifyResult | null = null) {
    const { beforeId, ...fields } = form;
    const page = await deps.audit.page(currentActor(req), {
      actor: form.actor,
      objectType: form.objectType,
      objectId: form.objectId,
      since: sinceToTimestamp(form.since),
      beforeId,
      limit: form.limit,
    });
    const last = page.items.at(-1);
    res.render('admin/audit', {
      entries: page.items.map((entry) => ({ ...entry, diff: auditDiff(entry.before, entry.after) })),
      total: page.total,
      form,
      olderQuery: page.hasOlder && last ? queryOf(fields, last.id) : null,
      newestQuery: beforeId === undefined ? null : queryOf(fields),
      verified,
    });
  }

  router.get('/admin/audit', async (req, res) => {
    await render(req, res, parseInput(filterForm, req.query));
  });

  // POST although nothing changes: walking the whole chain is costly, so links and prefetching must not start it.
  router.post('/admin/audit/verify', async (req, res) => {
    const verified = await deps.audit.verifyAsActor(currentActor(req));
    await render(req, res, parseInput(filterForm, {}), verified);
  });

  // The footer language switch returns to the current path with a GET.
  router.get('/admin/audit/verify', (_req, res) => {
    res.redirect(303, `${loketBase(res)}/admin/audit`);
  });

  return router;
}
