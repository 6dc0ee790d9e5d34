import { Router, type Request, type Response } from 'express';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { ArticleHit } from '../schema.js';
import { ARTICLE_STATES, FAQ_LANGUAGES, VISIBILITIES } from '../schema.js';
import { ARTICLES_PER_PAGE, GAPS_PER_PAGE, type FaqEditorDeps } from './editor-deps.js';
import { articleListQuery, gapsQuery, idParam, pageQuery, type ArticleListQuery } from './editor-forms.js';
import { editorNoticeFrom, withEditorNotice } from './editor-notices.js';
import { categoryOptions } from './editor-tree.js';

export interface Pagination {
  page: number;
  pages: number;
  previous: string | null;
  next: string | null;
}

/** Previous and next links for page `page` of `total` rows; `href(n)` is page n's address. */
export function paginationOf(page: number, total: number, perPage: number, href: (n: number) => string): Pagination {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return { page, pages, previous: page > 1 ? href(Math.min(page - 1, pages)) : null, next: page < pages ? href(page + 1) : null };
}

/** A query string of the non-empty values, with `?` when there is one. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The editors' article list with filters and state counts, the review queue and the content gaps. */
export function editorListPages(deps: FaqEditorDeps): Router {
  const router = Router();
  const manage = (res: Response) => `${loketBase(res)}/faq/manage`;

  async function rowsOf(items: (ArticleHit & { category: string })[]) {
    const tree = await deps.faqCategories.tree();
    return items.map((item) => ({ ...item, categoryName: tree.bySlug.get(item.category)?.name ?? item.category, lastEditor: item.updatedByName, submitter: item.submittedByName }));
  }

  router.get('/faq/manage', async (req, res) => {
    const actor = currentActor(req);
    const query = parseInput(articleListQuery, req.query);
    const filters = { state: query.state, language: query.language, category: query.category, visibility: query.visibility };
    const listFor = (q: Omit<ArticleListQuery, 'page'>, limit: number, offset: number) => deps.faqArticles.list(actor, { ...q, limit, offset });
    const [page, counts, tree] = await Promise.all([
      listFor(filters, ARTICLES_PER_PAGE, (query.page - 1) * ARTICLES_PER_PAGE),
      // Each state's count under the other filters: the quick links say how many each would show.
      Promise.all([undefined, ...ARTICLE_STATES].map(async (state) => ({ state, count: (await listFor({ ...filters, state }, 1, 0)).total }))),
      deps.faqCategories.tree(),
    ]);
    const hrefWith = (values: Partial<ArticleListQuery>) => `${manage(res)}${queryString({ ...filters, ...values })}`;
    res.render('faq/manage/list', {
      rows: await rowsOf(page.items),
      total: page.total,
      filters: { state: query.state ?? '', language: query.language ?? '', category: query.category ?? '', visibility: query.visibility ?? '' },
      stateLinks: counts.map(({ state, count }) => ({ state: state ?? '', count, href: hrefWith({ state, page: undefined }), current: state === query.state })),
      categories: categoryOptions(tree),
      states: ARTICLE_STATES,
      languages: FAQ_LANGUAGES,
      visibilities: VISIBILITIES,
      pagination: paginationOf(query.page, page.total, ARTICLES_PER_PAGE, (n) => hrefWith({ page: n })),
      notice: editorNoticeFrom(req, translatorOf(res)),
    });
  });

  /** Articles waiting for review, the longest waiting first. */
  router.get('/faq/manage/review', async (req, res) => {
    const actor = currentActor(req);
    const { page } = parseInput(pageQuery, req.query);
    const { items, total } = await deps.faqArticles.list(actor, { state: 'review', order: 'submitted', limit: ARTICLES_PER_PAGE, offset: (page - 1) * ARTICLES_PER_PAGE });
    res.render('faq/manage/review', {
      rows: await rowsOf(items),
      total,
      pagination: paginationOf(page, total, ARTICLES_PER_PAGE, (n) => `${manage(res)}/review${queryString({ page: n })}`),
    });
  });

  router.get('/faq/manage/gaps', pageRequires('faq.write'), async (req, res) => {
    const query = parseInput(gapsQuery, req.query);
    const gaps = await deps.faqReader.gaps(currentActor(req), { language: query.language, limit: GAPS_PER_PAGE, offset: (query.page - 1) * GAPS_PER_PAGE });
    res.render('faq/manage/gaps', {
      gaps: gaps.items,
      total: gaps.total,
      language: query.language ?? '',
      languages: FAQ_LANGUAGES,
      returnQuery: queryString({ language: query.language }),
      pagination: paginationOf(query.page, gaps.total, GAPS_PER_PAGE, (n) => `${manage(res)}/gaps${queryString({ language: query.language, page: n })}`),
      notice: editorNoticeFrom(req, translatorOf(res)),
    });
  });

  router.post('/faq/manage/gaps/:gap/dismiss', pageRequires('faq.write'), async (req: Request, res) => {
    const id = parseInput(idParam, req.params.gap);
    await deps.faqReader.dismissGap(currentActor(req), id);
    // Back to the list as it was filtered (the dismiss form's address carries the language).
    const { language } = parseInput(gapsQuery, req.query);
    res.redirect(303, withEditorNotice(`${manage(res)}/gaps`, 'dismissed', language ? { language } : {}));
  });

  return router;
}
