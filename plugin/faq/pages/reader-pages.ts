import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Actor } from '../../access/actor.js';
import { principalKey } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import type { LoketConfig } from '../../config/schema.js';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { publicBaseUrl } from '../../web/public-url.js';
import { parseInput } from '../../web/validate.js';
import type { ArticleService } from '../article-service.js';
import type { CategoryService } from '../category-service.js';
import type { ReaderService } from '../reader-service.js';
import type { FaqLanguage } from '../schema.js';
import { atomFeed, feedUpdated } from './reader-feed.js';
import { PAGE_SIZE, isReservedSegment, languageQuery, listQuery, pageLanguage, pager, searchQuery, slugParam, voteForm } from './reader-input.js';
import { readerNoticeFrom, withReaderNotice } from './reader-notices.js';
import { readerPaths } from './reader-paths.js';
import { categoryForest } from './reader-tree.js';

declare module 'express-session' {
  interface SessionData {
    /** Set when an anonymous visitor votes, so the session (whose id is the voter) is kept. */
    faqVoter?: boolean;
  }
}

export interface ReaderPageDeps {
  faqReader: ReaderService;
  faqArticles: ArticleService;
  faqCategories: CategoryService;
  /** For the feed's absolute links (BASE_URL). */
  config: LoketConfig;
}

const RELATED = 5;
const HOME_LIST = 10;
const FEED_ENTRIES = 30;

const actorOf = (req: Request): Actor | null => req.user ?? null;
/** Agents and admins read everything and are not counted as readers. */
const isStaff = (actor: Actor | null): boolean => can(actor, 'faq.read-internal');

/** Dates as readers expect them in their language; the full timestamp stays in `<time datetime>`. */
function dateFormatter(language: FaqLanguage): (iso: string) => string {
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
  return (iso) => {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? '' : format.format(time);
  };
}

/** An anonymous voter is their session: the hash keeps the session id itself out of the votes table. */
function anonymousVoter(req: Request): string {
  req.session.faqVoter = true;
  return `session:${createHash('sha256').update(req.sessionID).digest('hex')}`;
}

/**
 * The knowledge base for readers: home, search, category and article pages, helpful votes and the
 * Atom feed. Anyone may read; what each reader sees is decided by the reader service (faq-access.ts).
 */
export function faqReaderPages(deps: ReaderPageDeps): Router {
  const router = Router();
  const { faqReader } = deps;

  /** Category slug → name, for the categories this reader sees. */
  async function visibleCategories(actor: Actor | null, language: FaqLanguage) {
    const visible = await faqReader.categories(actor, language);
    return { visible, names: new Map(visible.map((v) => [v.category.slug, v.category.name])) };
  }

  router.get('/faq', async (req, res) => {
    const actor = actorOf(req);
    const language = pageLanguage(res);
    const [{ visible }, top, recent] = await Promise.all([visibleCategories(actor, language), faqReader.top(actor, language, HOME_LIST), faqReader.recent(actor, language, HOME_LIST)]);
    res.render('faq/home', { paths: readerPaths(res), forest: categoryForest(visible), top, recent, formatDate: dateFormatter(language) });
  });

  router.get('/faq/search', async (req, res) => {
    const actor = actorOf(req);
    const language = pageLanguage(res);
    const query = searchQuery.parse(req.query);
    const paths = readerPaths(res);
    const { visible, names } = await visibleCategories(actor, language);
    const result = query.q ? await faqReader.search(actor, { q: query.q, language, category: query.category, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }) : null;
    res.render('faq/search', {
      paths,
      query,
      categories: visible,
      categoryNames: names,
      result,
      firstNumber: (query.page - 1) * PAGE_SIZE + 1,
      pages: result ? pager(query.page, result.total, (page) => paths.search({ q: query.q, category: query.category, page: page === 1 ? undefined : page })) : null,
    });
  });

  router.get('/faq/feed.atom', async (req, res) => {
    const language = languageQuery.parse(req.query).lang ?? pageLanguage(res);
    const baseUrl = publicBaseUrl(req, res, deps.config);
    // Without BASE_URL in production the only address at hand is the Host header, which a client chooses.
    if (baseUrl === null) throw new LoketError({ status: 503, code: 'feed_unavailable', message: 'The feed needs BASE_URL to be configured.' });
    const [items, tree] = await Promise.all([faqReader.feed(language, FEED_ENTRIES), deps.faqCategories.tree()]);
    const t = translatorOf(res);
    const xml = atomFeed({
      baseUrl,
      language,
      title: t('faq.feed.title', { lng: language }),
      subtitle: t('faq.feed.subtitle', { lng: language }),
      author: t('app.name', { lng: language }),
      items,
      categoryNames: new Map(tree.all.map((c) => [c.slug, c.name])),
    });
    res.setHeader('Last-Modified', feedUpdated(items).toUTCString());
    res.setHeader('Cache-Control', 'public, max-age=300');
    // Express adds the ETag and answers a matching If-None-Match with 304.
    res.type('application/atom+xml').send(xml);
  });

  router.post('/faq/:category/:slug/vote', async (req, res, next) => {
    if (isReservedSegment(req.params.category)) return next('router');
    const actor = actorOf(req);
    const category = slugParam(req.params.category);
    const slug = slugParam(req.params.slug);
    const form = parseInput(voteForm, req.body);
    const { article, categorySlug } = await faqReader.articleBySlug(actor, category, slug, form.lang ?? pageLanguage(res));
    const voter = actor ? principalKey(actor.principal) : anonymousVoter(req);
    await faqReader.vote(actor, voter, article.id, form.helpful === 'yes');
    res.redirect(303, withReaderNotice(readerPaths(res).article(categorySlug, article.slug), 'voted', { lang: article.language }));
  });

  router.get('/faq/:category', async (req, res, next) => {
    if (isReservedSegment(req.params.category)) return next('router');
    const actor = actorOf(req);
    const slug = slugParam(req.params.category);
    const { page } = listQuery.parse(req.query);
    const { lang } = languageQuery.parse(req.query);
    const language = lang ?? pageLanguage(res);
    const paths = readerPaths(res);
    const result = await faqReader.categoryPage(actor, slug, language, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const { visible } = await visibleCategories(actor, language);
    const counts = new Map(visible.map((v) => [v.category.id, v.count]));
    res.render('faq/category', {
      paths,
      category: result.category,
      ancestors: result.path.slice(0, -1),
      children: result.children.filter((c) => counts.has(c.id)).map((c) => ({ slug: c.slug, name: c.name, count: counts.get(c.id) ?? 0 })),
      items: result.items,
      total: result.total,
      // Not `lang`: that local is the page's language (the html element, the footer).
      chosenLanguage: lang,
      firstNumber: (page - 1) * PAGE_SIZE + 1,
      pages: pager(page, result.total, (n) => paths.category(slug, { lang, page: n === 1 ? undefined : n })),
    });
  });

  router.get('/faq/:category/:slug', async (req, res, next) => {
    if (isReservedSegment(req.params.category)) return next('router');
    const actor = actorOf(req);
    const category = slugParam(req.params.category);
    const slug = slugParam(req.params.slug);
    const { lang } = languageQuery.parse(req.query);
    const paths = readerPaths(res);
    const page = await faqReader.articlePage(actor, category, slug, lang ?? pageLanguage(res), RELATED);
    if (page.moved) {
      res.redirect(301, paths.article(page.categorySlug, slug, { lang }));
      return;
    }
    const staff = isStaff(actor);
    if (!staff) faqReader.recordView(page.article.id);
    res.render('faq/article', {
      paths,
      article: page.article,
      categorySlug: page.categorySlug,
      trail: page.trail,
      stats: page.stats,
      translations: page.translations,
      related: page.related,
      staff,
      // Counts are shown after voting (to readers) and always to editors.
      showCounts: staff || req.query.notice === 'voted',
      notice: readerNoticeFrom(req, translatorOf(res)),
      formatDate: dateFormatter(pageLanguage(res)),
    });
  });

  return router;
}
