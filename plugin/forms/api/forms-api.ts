import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { parseQuery } from '../../customers/api-schemas.js';
import { validationError } from '../../errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import type { FormsService } from '../types.js';
import { choicesQuerySchema, searchQuerySchema, usableQuerySchema } from './schemas.js';

const keyOf = (req: Request): string => String(req.params.key);

/** `If-Match: "3"` (or 3) → 3; absent → undefined (create, or save over whatever is there). */
function expectedVersion(req: Request): number | undefined {
  const raw = req.get('If-Match');
  if (raw === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!match) throw validationError('If-Match: the form version, e.g. "3".', 'If-Match');
  return Number(match[1]);
}

/** `/api/v1/forms`: the forms a caller may use, their definitions, targets and choices; admins save. */
export function formsApi(deps: { forms: FormsService }): Router {
  const router = Router();
  const { forms } = deps;

  router.get('/forms', async (req, res) => {
    const actor = currentActor(req);
    const { category } = parseQuery(usableQuerySchema, req.query);
    const items = await forms.usable(actor, category ? { category } : {});
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: items.length });
  });

  router.get('/forms/:key', async (req, res) => {
    const form = await forms.get(currentActor(req), keyOf(req));
    res.set('ETag', `"${form.version}"`).set('Cache-Control', 'no-store');
    res.json(form);
  });

  router.put('/forms/:key', async (req, res) => {
    const actor = currentActor(req);
    const saved = await forms.save(actor, keyOf(req), req.body, expectedVersion(req), auditSubjectOf(actor, req.ip ?? null));
    res.set('ETag', `"${saved.version}"`);
    res.status(saved.version === 1 ? 201 : 200).json(saved);
  });

  router.get('/forms/:key/targets', async (req, res) => {
    const query = parseQuery(searchQuerySchema, req.query);
    const items = await forms.targets(currentActor(req), keyOf(req), query);
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: query.limit });
  });

  router.get('/forms/:key/choices/:field', async (req, res) => {
    const query = parseQuery(choicesQuerySchema, req.query);
    const items = await forms.choices(currentActor(req), keyOf(req), String(req.params.field), query);
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: query.limit });
  });
  return router;
}
