import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { CategoryView } from '../category-service.js';
import { ALL_GROUPS, type FaqEditorDeps } from './editor-deps.js';
import { categoryFormOf, categoryInputOf, emptyCategoryForm, parseCategoryForm, type CategoryForm } from './editor-forms.js';
import { editorNoticeFrom, withEditorNotice } from './editor-notices.js';
import { CATEGORY_TARGETS, editorProblem, editorRefusal } from './editor-problems.js';
import { categoryOptions } from './editor-tree.js';

const slugParam = z.string().min(1).max(200);

interface CategoryState {
  form?: CategoryForm;
  problem?: FormProblem | null;
  status?: number;
}

/** The category tree with a create form, and one category's edit form (admins). */
export function editorCategoryPages(deps: FaqEditorDeps): Router {
  const router = Router();
  router.use('/faq/manage/categories', pageRequires('faq.category.manage'));
  const listPath = (res: Response) => `${loketBase(res)}/faq/manage/categories`;

  async function pickers(req: Request) {
    const [tree, groups] = await Promise.all([deps.faqCategories.tree(), deps.groups.list(currentActor(req), { limit: ALL_GROUPS, offset: 0 })]);
    return { tree, categories: categoryOptions(tree), groups: groups.items.map((g) => ({ name: g.name, validity: g.validity })), validities: VALIDITIES };
  }

  async function renderList(req: Request, res: Response, state: CategoryState = {}) {
    const { categories, groups, validities } = await pickers(req);
    res.status(state.status ?? 200).render('faq/manage/categories', {
      categories,
      groups,
      validities,
      form: state.form ?? emptyCategoryForm(),
      problem: state.problem ?? null,
      notice: state.status ? null : editorNoticeFrom(req, translatorOf(res)),
    });
  }

  async function renderEdit(req: Request, res: Response, category: CategoryView, state: CategoryState = {}) {
    const { tree, categories, ...rest } = await pickers(req);
    const own = tree.bySlug.get(category.slug);
    // A category cannot move below itself: its own branch is not offered as a parent.
    const branch = new Set(own ? tree.descendantIds(own.id).map((id) => tree.byId.get(id)?.slug) : [category.slug]);
    res.status(state.status ?? 200).render('faq/manage/category', {
      ...rest,
      category,
      categories: categories.filter((c) => !branch.has(c.slug)),
      form: state.form ?? categoryFormOf(category),
      problem: state.problem ?? null,
      path: `${listPath(res)}/${encodeURIComponent(category.slug)}`,
    });
  }

  const findCategory = async (req: Request): Promise<CategoryView> => {
    const { category, tree } = await deps.faqCategories.get(parseInput(slugParam, req.params.slug));
    return tree.view(category);
  };

  router.get('/faq/manage/categories', async (req, res) => {
    await renderList(req, res);
  });

  router.post('/faq/manage/categories', async (req, res) => {
    const actor = currentActor(req);
    const form = parseCategoryForm(req.body);
    try {
      await deps.faqCategories.create(actor, categoryInputOf(form, 'create'), auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withEditorNotice(listPath(res), 'categoryCreated'));
    } catch (err) {
      const refusal = editorRefusal(err);
      if (!refusal) throw err;
      await renderList(req, res, { form, problem: editorProblem(refusal, translatorOf(res), 'category', CATEGORY_TARGETS), status: refusal.status });
    }
  });

  router.get('/faq/manage/categories/:slug', async (req, res) => {
    await renderEdit(req, res, await findCategory(req));
  });

  router.post('/faq/manage/categories/:slug', async (req, res) => {
    const actor = currentActor(req);
    const category = await findCategory(req);
    const form = { ...parseCategoryForm(req.body), slug: category.slug };
    try {
      await deps.faqCategories.update(actor, category.slug, categoryInputOf(form, 'edit'), auditSubjectOf(actor, req.ip ?? null), form.version);
      res.redirect(303, withEditorNotice(listPath(res), 'categorySaved'));
    } catch (err) {
      const refusal = editorRefusal(err);
      if (!refusal) throw err;
      await renderEdit(req, res, category, { form, problem: editorProblem(refusal, translatorOf(res), 'category', CATEGORY_TARGETS), status: refusal.status });
    }
  });

  return router;
}
