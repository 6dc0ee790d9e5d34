import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { principalKey } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { ArticleDetail } from '../article-service.js';
import { FAQ_LANGUAGES, VISIBILITIES, type Article, type ArticleState } from '../schema.js';
import { ALL_SERVICES, type FaqEditorDeps } from './editor-deps.js';
import { approveForm, articleContentOf, articleFormOf, articleIdOf, emptyArticleForm, newArticleQuery, parseArticleForm, rejectForm, type ArticleForm } from './editor-forms.js';
import { editorNoticeFrom, withEditorNotice, type EditorNotice } from './editor-notices.js';
import { ARTICLE_TARGETS, editorProblem, editorRefusal, type EditorForm } from './editor-problems.js';
import { categoryOptions } from './editor-tree.js';

interface EditorState {
  form?: ArticleForm;
  problem?: FormProblem | null;
  status?: number;
  /** Rendered markdown of the unsaved body (safe HTML from the renderer), after the Preview button. */
  preview?: string | null;
  rejectComment?: string;
}

const articleId = (req: Request): number => articleIdOf(req.params.id);

/** What a save did to the state, for the notice: a published article goes back to review, an archived one to draft. */
function savedNotice(before: ArticleState, after: ArticleState): EditorNotice {
  if (before === 'published' && after === 'review') return 'backInReview';
  if (before === 'archived' && after === 'draft') return 'backToDraft';
  return 'saved';
}

/** New article, edit with preview, and the workflow steps (submit, approve, reject, archive). */
export function editorArticlePages(deps: FaqEditorDeps): Router {
  const router = Router();
  const write = pageRequires('faq.write');
  const decide = pageRequires('faq.approve');
  const manage = (res: Response) => `${loketBase(res)}/faq/manage`;

  async function pickers(actor: Actor, form: ArticleForm) {
    const [tree, catalogue] = await Promise.all([deps.faqCategories.tree(), deps.catalogue.list(actor, { limit: ALL_SERVICES, offset: 0 })]);
    const known = new Set(catalogue.items.map((s) => s.name));
    // Names the form sent that the catalogue lacks stay ticked, so a refused form shows what was chosen.
    const services = [...catalogue.items.map((s) => ({ name: s.name, validity: s.validity })), ...form.services.filter((n) => !known.has(n)).map((name) => ({ name, validity: null }))];
    return {
      categories: categoryOptions(tree),
      services: services.map((s, i) => ({ id: `fe-svc-${i}`, value: s.name, name: s.name, validity: s.validity, checked: form.services.includes(s.name) })),
      languages: FAQ_LANGUAGES,
      visibilities: VISIBILITIES,
    };
  }

  async function renderNew(req: Request, res: Response, form: ArticleForm, state: EditorState = {}) {
    res.status(state.status ?? 200).render('faq/manage/edit', {
      mode: 'new',
      article: null,
      form,
      problem: state.problem ?? null,
      preview: state.preview ?? null,
      action: manage(res),
      ...(await pickers(currentActor(req), form)),
      notice: null,
    });
  }

  async function renderEdit(req: Request, res: Response, detail: ArticleDetail, state: EditorState = {}) {
    const actor = currentActor(req);
    const { article } = detail;
    const form = state.form ?? articleFormOf(detail);
    const key = principalKey(actor.principal);
    const wroteIt = article.createdBy.key === key || article.updatedBy.key === key;
    const path = `${manage(res)}/${article.id}`;
    const present = new Set([article.language, ...detail.translations.map((tr) => tr.language)]);
    res.status(state.status ?? 200).render('faq/manage/edit', {
      mode: 'edit',
      article,
      form: { ...form, slug: article.slug, language: article.language },
      problem: state.problem ?? null,
      // Until the editor asks for a preview, the pane shows what is saved.
      preview: state.preview ?? null,
      savedHtml: article.bodyHtml,
      action: path,
      path,
      publicUrl: `${loketBase(res)}/faq/${encodeURIComponent(detail.category)}/${encodeURIComponent(article.slug)}?lang=${article.language}`,
      translations: detail.translations.map((tr) => ({ ...tr, href: `${manage(res)}/${tr.id}` })),
      missingLanguages: FAQ_LANGUAGES.filter((l) => !present.has(l)).map((language) => ({
        language,
        href: `${manage(res)}/new?${new URLSearchParams({ slug: article.slug, language, category: detail.category, title: article.title }).toString()}`,
      })),
      canSubmit: article.state === 'draft' && can(actor, 'faq.write'),
      canArchive: article.state !== 'archived' && can(actor, 'faq.write'),
      // The service refuses the author and the last editor anyway; the buttons are not offered to them.
      canDecide: article.state === 'review' && can(actor, 'faq.approve') && !wroteIt,
      wroteIt,
      rejectComment: state.rejectComment ?? '',
      ...(await pickers(actor, form)),
      notice: state.status ? null : editorNoticeFrom(req, translatorOf(res)),
    });
  }

  const detailOf = async (req: Request) => deps.faqArticles.detail(currentActor(req), articleId(req));

  router.get('/faq/manage/new', write, async (req, res) => {
    const prefill = parseInput(newArticleQuery, req.query);
    const language = (FAQ_LANGUAGES as readonly string[]).includes(prefill.language) ? prefill.language : String(res.locals.lang ?? '');
    await renderNew(req, res, emptyArticleForm({ slug: prefill.slug, language, title: prefill.title, category: prefill.category }));
  });

  router.post('/faq/manage', write, async (req, res) => {
    const actor = currentActor(req);
    const { form, intent } = parseArticleForm(req.body);
    try {
      if (intent === 'preview') {
        await renderNew(req, res, form, { preview: (await deps.faqArticles.preview(actor, form.body)).html });
        return;
      }
      const created = await deps.faqArticles.create(actor, { slug: form.slug, language: form.language, ...articleContentOf(form) }, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withEditorNotice(`${manage(res)}/${created.id}`, 'created'));
    } catch (err) {
      const refusal = editorRefusal(err);
      if (!refusal) throw err;
      await renderNew(req, res, form, { problem: editorProblem(refusal, translatorOf(res), 'article', ARTICLE_TARGETS), status: refusal.status });
    }
  });

  router.get('/faq/manage/:id', async (req, res) => {
    await renderEdit(req, res, await detailOf(req));
  });

  router.post('/faq/manage/:id', write, async (req, res) => {
    const actor = currentActor(req);
    const detail = await detailOf(req);
    const { form, intent } = parseArticleForm(req.body);
    try {
      if (intent === 'preview') {
        await renderEdit(req, res, detail, { form, preview: (await deps.faqArticles.preview(actor, form.body)).html });
        return;
      }
      const input = { ...articleContentOf(form), ...(form.note.trim() ? { note: form.note } : {}) };
      const saved = await deps.faqArticles.update(actor, detail.article.id, input, auditSubjectOf(actor, req.ip ?? null), form.version);
      res.redirect(303, withEditorNotice(`${manage(res)}/${saved.id}`, savedNotice(detail.article.state, saved.state)));
    } catch (err) {
      const refusal = editorRefusal(err);
      if (!refusal) throw err;
      await renderEdit(req, res, detail, { form, problem: editorProblem(refusal, translatorOf(res), 'article', ARTICLE_TARGETS), status: refusal.status });
    }
  });

  /** One workflow step: on success back to the article with a notice, refused on the article page itself. */
  function step(what: EditorForm, notice: EditorNotice, run: (actor: Actor, id: number, req: Request) => Promise<Article>) {
    return async (req: Request, res: Response) => {
      const actor = currentActor(req);
      const id = articleId(req);
      try {
        await run(actor, id, req);
        res.redirect(303, withEditorNotice(`${manage(res)}/${id}`, notice));
      } catch (err) {
        const refusal = editorRefusal(err);
        if (!refusal) throw err;
        const rejectComment = what === 'decision' ? parseInput(rejectForm, req.body).comment : '';
        await renderEdit(req, res, await detailOf(req), { problem: editorProblem(refusal, translatorOf(res), what, ARTICLE_TARGETS), status: refusal.status, rejectComment });
      }
    };
  }

  const subject = (actor: Actor, req: Request) => auditSubjectOf(actor, req.ip ?? null);

  router.post('/faq/manage/:id/submit', write, step('article', 'submitted', (actor, id, req) => deps.faqArticles.submit(actor, id, subject(actor, req))));
  router.post('/faq/manage/:id/archive', write, step('article', 'archived', (actor, id, req) => deps.faqArticles.archive(actor, id, subject(actor, req))));
  router.post(
    '/faq/manage/:id/approve',
    decide,
    step('decision', 'approved', (actor, id, req) => deps.faqArticles.approve(actor, id, subject(actor, req), parseInput(approveForm, req.body).version)),
  );
  router.post(
    '/faq/manage/:id/reject',
    decide,
    step('decision', 'rejected', (actor, id, req) => deps.faqArticles.reject(actor, id, { comment: parseInput(rejectForm, req.body).comment }, subject(actor, req))),
  );

  return router;
}
