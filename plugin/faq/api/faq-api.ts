import { Router } from 'express';
import type { ArticleService } from '../article-service.js';
import type { CategoryService } from '../category-service.js';
import type { ReaderService } from '../reader-service.js';
import { faqArticleApi } from './article-api.js';
import { faqCategoryApi } from './category-api.js';
import { faqReaderApi } from './reader-api.js';

export interface FaqApiDeps {
  faqCategories: CategoryService;
  faqArticles: ArticleService;
  faqReader: ReaderService;
}

/** The FAQ under `/api/v1/faq`: categories, articles with their workflow, search, suggestions, votes, gaps. */
export function faqApi(deps: FaqApiDeps): Router {
  const router = Router();
  router.use(faqCategoryApi(deps));
  router.use(faqArticleApi(deps));
  router.use(faqReaderApi(deps));
  return router;
}
