import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import type { CustomerService } from '../customers/customer-service.js';
import { currentActor, loketBase, pageRequires } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { auditDiff } from './diff.js';
import { beforeIdField, customerIdField, limitField, optionalText, sinceField, sinceToTimestamp } from './schema.js';
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

/** The key users' screen narrows to one of their customers as well. */
const portalForm = filterForm.extend({ customerId: customerIdField });
type PortalForm = z.output<typeof portalForm>;

type VerifyResult = Awaited<ReturnType<AuditService['verifyAsActor']>>;

/** The form's fields as a query string, for the paging links. */
function queryOf(form: Omit<PortalForm, 'beforeId'>, beforeId?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...form, beforeId })) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

/**
 * What both audit screens show (views/audit/partials/log.ejs): one page of entries with their diffs,
 * the filter as sent, and the paging links. The service decides which entries the actor reads.
 */
async function logView(audit: AuditService, actor: Actor, form: PortalForm) {
  const { beforeId, ...fields } = form;
  const page = await audit.page(actor, {
    actor: form.actor,
    objectType: form.objectType,
    objectId: form.objectId,
    since: sinceToTimestamp(form.since),
    beforeId,
    customerId: form.customerId,
    limit: form.limit,
  });
  const last = page.items.at(-1);
  return {
    entries: page.items.map((entry) => ({ ...entry, diff: auditDiff(entry.before, entry.after) })),
    total: page.total,
    form,
    olderQuery: page.hasOlder && last ? queryOf(fields, last.id) : null,
    newestQuery: beforeId === undefined ? null : queryOf(fields),
  };
}

/** Admin screen: read the audit log, page back through it and check its hash chain. */
export function auditAdminRoutes(deps: { audit: AuditService }): Router {
  const router = Router();
  router.use('/admin/audit', pageRequires('audit.read'));

  async function render(req: Request, res: Response, form: FilterForm, verified: VerifyResult | null = null) {
    res.render('admin/audit', { ...(await logView(deps.audit, currentActor(req), form)), verified });
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

/**
 * Key users' screen: the entries made in their customers (what their users and delegates did there),
 * with the admin screen's filters and paging, without the chain check (the chain spans every customer).
 */
export function auditPortalRoutes(deps: { audit: AuditService; customers: Pick<CustomerService, 'findMany'> }): Router {
  const router = Router();
  router.use('/portal/audit', pageRequires('portal.use'));

  router.get('/portal/audit', async (req, res) => {
    const actor = currentActor(req);
    // The service decides: a plain user, a deputy only or a switched session get its 403, before any 400.
    const scope = deps.audit.scope(actor);
    const form = parseInput(portalForm, req.query);
    const view = await logView(deps.audit, actor, form);
    const ids = scope.kind === 'customers' ? scope.customerIds : [];
    const customers = await deps.customers.findMany(ids);
    const nameOf = (id: string) => customers.find((c) => c.customerId === id)?.name ?? id;
    const shown = form.customerId ?? (ids.length === 1 ? ids[0] : undefined);
    res.render('audit/portal', {
      ...view,
      customerName: shown === undefined ? null : nameOf(shown),
      customerChoices: ids.length > 1 ? ids.map((id) => ({ customerId: id, name: nameOf(id) })).sort((a, b) => a.name.localeCompare(b.name)) : [],
    });
  });

  return router;
}
