import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { etagOf, expectedVersion, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { methodNotAllowed } from '../../errors.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { CategoryService } from '../category-service.js';
import type { ReaderService } from '../reader-service.js';
import { categoryCreateSchema, categoryPatchSchema } from '../schema.js';
import { isStaff, readerOf } from './params.js';
import { categoriesQuery, categorySlugParam, presentCategory, presentCategoryListItem } from './schemas.js';

const slugOf = (req: Request): string => parseInput(categorySlugParam, req.params.slug);

/** `/api/v1/faq/categories`: the tree as the caller may see it; admins shape it. */
export function faqCategoryApi(deps: { faqCategories: CategoryService; faqReader: ReaderService }): Router {
  const router = Router();

  router.get('/faq/categories', async (req, res) => {
    const { language } = parseQuery(categoriesQuery, req.query);
    const actor = readerOf(req);
    const entries = await deps.faqReader.categories(actor, language);
    const items = entries.map((entry) => presentCategoryListItem(entry, isStaff(actor)));
    res.json({ items, total: items.length, limit: items.length });
  });

  router.post('/faq/categories', apiRequires('faq.category.manage'), async (req, res) => {
    const actor = currentActor(req);
    const created = await deps.faqCategories.create(actor, parseBody(categoryCreateSchema, req.body), auditSubjectOf(actor, req.ip ?? null));
    res.status(201).location(`${req.baseUrl}/faq/categories/${encodeURIComponent(created.slug)}`);
    res.set('ETag', etagOf(created.version)).json(presentCategory(created));
  });

  router.patch('/faq/categories/:slug', apiRequires('faq.category.manage'), async (req, res) => {
    const actor = currentActor(req);
    const { version: bodyVersion, ...changes } = parseBody(categoryPatchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), bodyVersion);
    const updated = await deps.faqCategories.update(actor, slugOf(req), changes, auditSubjectOf(actor, req.ip ?? null), version);
    res.set('ETag', etagOf(updated.version)).json(presentCategory(updated));
  });

  router.delete('/faq/categories/:slug', (req, res) => {
    currentActor(req);
    res.set('Allow', 'PATCH');
    throw methodNotAllowed('FAQ categories are never deleted: set validity to invalid (PATCH {"validity":"invalid"}).');
  });

  return router;
}
