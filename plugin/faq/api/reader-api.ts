import { Router } from 'express';
import { principalKey } from '../../access/actor.js';
import { emptyBody, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { apiRequires, currentActor, loketBase } from '../../web/middleware/guards.js';
import type { ArticleService } from '../article-service.js';
import type { ReaderService } from '../reader-service.js';
import { pathNumber, readerOf } from './params.js';
import { gapsQuery, presentGap, presentSearchHit, presentSuggestion, previewSchema, searchQuery, suggestQuery, voteSchema } from './schemas.js';

/**
 * Search, suggestions and votes (anyone may search; what they find is what they may read), and the
 * editors' tools beside them: the live preview and the content gaps.
 */
export function faqReaderApi(deps: { faqReader: ReaderService; faqArticles: ArticleService }): Router {
  const router = Router();

  router.get('/faq/search', async (req, res) => {
    const query = parseQuery(searchQuery, req.query);
    const found = await deps.faqReader.search(readerOf(req), query);
    // Results depend on who asks: no shared cache may keep them.
    res.set('Cache-Control', 'no-store');
    res.json({ items: found.items.map((hit) => presentSearchHit(hit, loketBase(res))), total: found.total, limit: query.limit, capped: found.capped });
  });

  router.get('/faq/suggest', async (req, res) => {
    const query = parseQuery(suggestQuery, req.query);
    const hits = await deps.faqReader.suggest(readerOf(req), query);
    res.set('Cache-Control', 'no-store');
    res.json({ items: hits.map((hit) => presentSuggestion(hit, loketBase(res))) });
  });

  // One vote per person: the principal key identifies them, so voting again replaces the vote.
  router.post('/faq/articles/:id/votes', async (req, res) => {
    const actor = currentActor(req);
    const { helpful } = parseBody(voteSchema, req.body);
    await deps.faqReader.vote(actor, principalKey(actor.principal), pathNumber(req, 'id'), helpful);
    res.status(204).end();
  });

  router.post('/faq/preview', apiRequires('faq.write'), async (req, res) => {
    const { body } = parseBody(previewSchema, req.body);
    res.json(await deps.faqArticles.preview(currentActor(req), body));
  });

  router.get('/faq/gaps', apiRequires('faq.write'), async (req, res) => {
    const query = parseQuery(gapsQuery, req.query);
    const page = await deps.faqReader.gaps(currentActor(req), query);
    res.json({ items: page.items.map(presentGap), total: page.total, limit: query.limit });
  });

  router.post('/faq/gaps/:id/dismiss', apiRequires('faq.write'), async (req, res) => {
    emptyBody(req.body);
    await deps.faqReader.dismissGap(currentActor(req), pathNumber(req, 'id'));
    res.status(204).end();
  });

  return router;
}
