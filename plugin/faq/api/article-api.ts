import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { emptyBody, etagOf, expectedVersion, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { methodNotAllowed, notFound } from '../../errors.js';
import { apiRequires, currentActor, loketBase } from '../../web/middleware/guards.js';
import type { ArticleService } from '../article-service.js';
import { articleCreateSchema, articlePatchSchema, reviewSchema, type Article } from '../schema.js';
import { isStaff, pathNumber, readerOf } from './params.js';
import { approveSchema, articleListQuery, diffQuery, presentArticle, presentArticleListItem, presentDiff, presentVersion, presentVersionListItem } from './schemas.js';

/** `/api/v1/faq/articles`: the editors' list, create, read, change, the review workflow and versions. */
export function faqArticleApi(deps: { faqArticles: ArticleService }): Router {
  const router = Router();
  const { faqArticles } = deps;
  const subjectOf = (req: Request, actor: Actor) => auditSubjectOf(actor, req.ip ?? null);

  /** The article as the caller may see it, with its version in the ETag. */
  async function answer(res: Response, actor: Actor | null, article: Article, status = 200): Promise<void> {
    const detail = await faqArticles.detailOf(actor, article);
    res.status(status).set('ETag', etagOf(article.version)).json(presentArticle(detail, isStaff(actor), loketBase(res)));
  }

  router.get('/faq/articles', async (req, res) => {
    const query = parseQuery(articleListQuery, req.query);
    const page = await faqArticles.list(currentActor(req), query);
    res.json({ items: page.items.map((hit) => presentArticleListItem(hit, loketBase(res))), total: page.total, limit: query.limit });
  });

  router.post('/faq/articles', apiRequires('faq.write'), async (req, res) => {
    const actor = currentActor(req);
    const created = await faqArticles.create(actor, parseBody(articleCreateSchema, req.body), subjectOf(req, actor));
    res.location(`${req.baseUrl}/faq/articles/${created.id}`);
    await answer(res, actor, created, 201);
  });

  router.get('/faq/articles/:id', async (req, res) => {
    const actor = readerOf(req);
    const detail = await faqArticles.detail(actor, pathNumber(req, 'id'));
    res.set('ETag', etagOf(detail.article.version)).json(presentArticle(detail, isStaff(actor), loketBase(res)));
  });

  router.patch('/faq/articles/:id', apiRequires('faq.write'), async (req, res) => {
    const actor = currentActor(req);
    const { version: bodyVersion, ...changes } = parseBody(articlePatchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), bodyVersion);
    await answer(res, actor, await faqArticles.update(actor, pathNumber(req, 'id'), changes, subjectOf(req, actor), version));
  });

  router.delete('/faq/articles/:id', (req, res) => {
    currentActor(req);
    res.set('Allow', 'GET, PATCH');
    throw methodNotAllowed('FAQ articles are never deleted: archive them (POST /faq/articles/{id}/archive).');
  });

  router.post('/faq/articles/:id/submit', apiRequires('faq.write'), async (req, res) => {
    const actor = currentActor(req);
    emptyBody(req.body);
    await answer(res, actor, await faqArticles.submit(actor, pathNumber(req, 'id'), subjectOf(req, actor)));
  });

  router.post('/faq/articles/:id/approve', apiRequires('faq.approve'), async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(approveSchema, req.body ?? {});
    const version = expectedVersion(req.get('If-Match'), body.version);
    await answer(res, actor, await faqArticles.approve(actor, pathNumber(req, 'id'), subjectOf(req, actor), version));
  });

  router.post('/faq/articles/:id/reject', apiRequires('faq.approve'), async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(reviewSchema, req.body ?? {});
    await answer(res, actor, await faqArticles.reject(actor, pathNumber(req, 'id'), body, subjectOf(req, actor)));
  });

  router.post('/faq/articles/:id/archive', apiRequires('faq.write'), async (req, res) => {
    const actor = currentActor(req);
    emptyBody(req.body);
    await answer(res, actor, await faqArticles.archive(actor, pathNumber(req, 'id'), subjectOf(req, actor)));
  });

  router.get('/faq/articles/:id/versions', apiRequires('faq.read-internal'), async (req, res) => {
    const { versions } = await faqArticles.versions(currentActor(req), pathNumber(req, 'id'));
    res.json({ items: versions.map(presentVersionListItem), total: versions.length, limit: versions.length });
  });

  router.get('/faq/articles/:id/versions/:number', apiRequires('faq.read-internal'), async (req, res) => {
    const number = pathNumber(req, 'number');
    const { versions } = await faqArticles.versions(currentActor(req), pathNumber(req, 'id'));
    const version = versions.find((v) => v.number === number);
    if (!version) throw notFound('No such version of this article.');
    res.json(presentVersion(version));
  });

  router.get('/faq/articles/:id/diff', apiRequires('faq.read-internal'), async (req, res) => {
    const { from, to } = parseQuery(diffQuery, req.query);
    const diff = await faqArticles.diff(currentActor(req), pathNumber(req, 'id'), from, to);
    res.json(presentDiff(diff.from.number, diff.to.number, diff.changes));
  });

  return router;
}
