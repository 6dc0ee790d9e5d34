import type { CatalogueService, GroupService } from '../../access/groups/service.js';
import type { ArticleService } from '../article-service.js';
import type { CategoryService } from '../category-service.js';
import type { ReaderService } from '../reader-service.js';

/**
 * What the FAQ editor screens need from the container. `groups` fills the category form's group select;
 * `catalogue` the article form's services.
 */
export interface FaqEditorDeps {
  faqArticles: ArticleService;
  faqReader: ReaderService;
  faqCategories: CategoryService;
  catalogue: CatalogueService;
  groups: GroupService;
}

export const ARTICLES_PER_PAGE = 50;
export const GAPS_PER_PAGE = 50;
/** Groups and services are few (hundreds); the pickers list them all, as the access screens do. */
export const ALL_GROUPS = 1000;
export const ALL_SERVICES = 5000;
