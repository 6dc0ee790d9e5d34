import { Router } from 'express';
import { pageRequires } from '../../web/middleware/guards.js';
import { editorArticlePages } from './editor-article-pages.js';
import { editorCategoryPages } from './editor-category-pages.js';
import type { FaqEditorDeps } from './editor-deps.js';
import { editorListPages } from './editor-list-pages.js';
import { editorVersionPages } from './editor-version-pages.js';

export type { FaqEditorDeps } from './editor-deps.js';

/**
 * The FAQ editor screens under /faq/manage: article list, review queue, content gaps, categories (admins),
 * and one article's edit page with its workflow, versions and diff. Staff only: the reader pages are
 * elsewhere. The fixed paths (review, gaps, categories, new) are routed ahead of `/faq/manage/:id`.
 */
export function faqEditorPages(deps: FaqEditorDeps): Router {
  const router = Router();
  router.use('/faq/manage', pageRequires('faq.read-internal'));
  router.use(editorListPages(deps));
  router.use(editorCategoryPages(deps));
  router.use(editorArticlePages(deps));
  router.use(editorVersionPages(deps));
  return router;
}
