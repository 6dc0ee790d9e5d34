import { listOf } from '../../customers/present.js';
import type { ApiOperation } from '../../web/openapi.js';
import { articleCreateSchema, articlePatchSchema, categoryCreateSchema, categoryPatchSchema, reviewSchema } from '../schema.js';
import {
  approveSchema,
  ARTICLE_DEFAULT_LIMIT,
  ARTICLE_MAX_LIMIT,
  articleListItemSchema,
  articleSchema,
  categoryListItemSchema,
  categorySchema,
  diffSchema,
  gapSchema,
  MAX_QUERY_LENGTH,
  previewResultSchema,
  previewSchema,
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_LIMIT,
  searchResultSchema,
  SUGGEST_DEFAULT_LIMIT,
  SUGGEST_MAX_LIMIT,
  suggestionsSchema,
  versionListItemSchema,
  versionSchema,
  voteSchema,
} from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const BAD_QUERY = 'A query parameter is invalid, unknown or repeated';
const BAD_BODY = 'A field is missing, invalid or unknown (field names it)';
const NO_ARTICLE = 'No such article (or not one the caller may read)';
const READERS =
  'Anonymous callers see public articles; customer users also customer articles of categories whose group they hold ro on ' +
  '(limited ones only when they work for one of its customers); staff see every article.';
const STEP = (what: string, who: string) => ({
  ...AUTH,
  400: 'The body is not the documented shape',
  403: `Not allowed to ${who}`,
  404: 'No such article',
  409: 'The article changed in the meantime (state_conflict or version_conflict)',
  422: `invalid_transition: the article is not in a state that can be ${what}`,
});

const categoryOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/faq/categories',
    summary:
      'The FAQ category tree as the caller sees it, by position and name, each with the number of published articles the caller may read in it and below. ' +
      'Readers (anonymous too) get only categories holding something for them; staff get every category with group, comment, validity and version. Query: language (en, nl, nb: counts in that language or the fallback).',
    tag: 'faq',
    public: true,
    response: listOf(categoryListItemSchema),
    errors: { 400: BAD_QUERY },
  },
  {
    method: 'post',
    path: '/faq/categories',
    summary: 'Create a category (201, with Location and ETag). parent and group are named by slug and group name. Admins only.',
    tag: 'faq',
    request: categoryCreateSchema,
    response: categorySchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not allowed to manage FAQ categories', 409: 'duplicate: this slug is taken', 422: 'unknown_category (parent), unknown_group or too_deep' },
  },
  {
    method: 'patch',
    path: '/faq/categories/{slug}',
    summary:
      'Change a category; send If-Match: "<version>" or version in the body to refuse stale edits. An invalid category hides its articles (and those below it) from readers at once. Admins only.',
    tag: 'faq',
    request: categoryPatchSchema,
    response: categorySchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not allowed to manage FAQ categories', 404: 'No such category', 409: 'Changed by someone else since that version', 422: 'unknown_category, unknown_group, category_cycle or too_deep' },
  },
  {
    method: 'delete',
    path: '/faq/categories/{slug}',
    summary: 'Not possible: categories are never deleted; set validity to invalid instead',
    tag: 'faq',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: PATCH)' },
  },
];

const articleOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/faq/articles',
    summary:
      `Every article in every state, newest change first: the editors' list (staff only). Query: state, language, category (includes its subcategories), ` +
      `visibility, limit (1-${ARTICLE_MAX_LIMIT}, default ${ARTICLE_DEFAULT_LIMIT}), offset. Readers search instead.`,
    tag: 'faq',
    response: listOf(articleListItemSchema),
    errors: { ...AUTH, 400: BAD_QUERY, 403: 'Not allowed to list FAQ articles (customer users)' },
  },
  {
    method: 'post',
    path: '/faq/articles',
    summary:
      'Write an article; it starts as a draft (201, with Location and ETag). The markdown is rendered once, here (raw HTML off, only http(s), mailto and relative links). ' +
      'A translation is another article with the same slug in another language. State, authors and approval are never set through this body.',
    tag: 'faq',
    request: articleCreateSchema,
    response: articleSchema,
    errors: {
      ...AUTH,
      400: BAD_BODY,
      403: 'Not allowed to write FAQ articles',
      409: 'duplicate: an article with this slug in this language exists',
      413: 'The body is too large or too complex to render',
      422: 'unknown_category, unknown_customer or unknown_service (field names it)',
    },
  },
  {
    method: 'get',
    path: '/faq/articles/{id}',
    summary: `One article; the ETag header carries its version. ${READERS} Readers get published articles only, without markdown, authors and customer limits.`,
    tag: 'faq',
    public: true,
    response: articleSchema,
    errors: { 400: 'id is not a whole number', 404: NO_ARTICLE },
  },
  {
    method: 'patch',
    path: '/faq/articles/{id}',
    summary:
      'Save a new version (only the fields sent change; note describes the change). Send If-Match: "<version>" or version in the body to refuse stale edits. ' +
      'A published article goes back to review (readers keep nothing unapproved), an archived one back to draft. Slug and language never change.',
    tag: 'faq',
    request: articlePatchSchema,
    response: articleSchema,
    errors: {
      ...AUTH,
      400: BAD_BODY,
      403: 'Not allowed to write FAQ articles',
      404: 'No such article',
      409: 'version_conflict: saved by someone else since that version',
      413: 'The body is too large or too complex to render',
      422: 'unknown_category, unknown_customer or unknown_service',
    },
  },
  {
    method: 'delete',
    path: '/faq/articles/{id}',
    summary: 'Not possible: articles are archived (POST /faq/articles/{id}/archive), never deleted',
    tag: 'faq',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
  {
    method: 'post',
    path: '/faq/articles/{id}/submit',
    summary: 'Send a draft for review. No body. Answers the article.',
    tag: 'faq',
    response: articleSchema,
    errors: STEP('submitted (draft)', 'write FAQ articles'),
  },
  {
    method: 'post',
    path: '/faq/articles/{id}/approve',
    summary:
      'Publish an article in review (audited). The approver is never its author nor the author of its latest change (403). ' +
      'Send the version you read (body version or If-Match) to publish exactly that: a newer one answers 409. Answers the article.',
    tag: 'faq',
    request: approveSchema,
    response: articleSchema,
    errors: { ...STEP('approved (review)', 'approve FAQ articles, or the caller wrote it or its latest change'), 409: 'version_conflict: changed since the version given, or state_conflict' },
  },
  {
    method: 'post',
    path: '/faq/articles/{id}/reject',
    summary: 'Send an article in review back to draft with a comment for the author (shown to staff as reviewComment). Not by its author. Answers the article.',
    tag: 'faq',
    request: reviewSchema,
    response: articleSchema,
    errors: STEP('rejected (review)', 'approve FAQ articles, or the caller wrote it or its latest change'),
  },
  {
    method: 'post',
    path: '/faq/articles/{id}/archive',
    summary: 'Take an article out of use (readers no longer see it); editing it again makes it a draft. No body. Answers the article.',
    tag: 'faq',
    response: articleSchema,
    errors: STEP('archived (draft, review, published)', 'write FAQ articles'),
  },
  {
    method: 'get',
    path: '/faq/articles/{id}/versions',
    summary: 'Every saved version, newest first, without bodies (staff only)',
    tag: 'faq',
    response: listOf(versionListItemSchema),
    errors: { ...AUTH, 403: 'Not allowed to read versions', 404: 'No such article' },
  },
  {
    method: 'get',
    path: '/faq/articles/{id}/versions/{number}',
    summary: 'One saved version with its markdown (staff only)',
    tag: 'faq',
    response: versionSchema,
    errors: { ...AUTH, 403: 'Not allowed to read versions', 404: 'No such article or version' },
  },
  {
    method: 'get',
    path: '/faq/articles/{id}/diff',
    summary: 'What changed between two versions (query: from, to), field by field; the body line by line (staff only)',
    tag: 'faq',
    response: diffSchema,
    errors: { ...AUTH, 400: 'from and to must be whole numbers', 403: 'Not allowed to read versions', 404: 'No such article or version' },
  },
  {
    method: 'post',
    path: '/faq/articles/{id}/votes',
    summary: 'Was this helpful? One vote per person: voting again replaces the vote. Signed-in callers who may read the article. Answers 204.',
    tag: 'faq',
    request: voteSchema,
    errors: { ...AUTH, 400: BAD_BODY, 404: NO_ARTICLE },
  },
];

const readerOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/faq/search',
    summary:
      `Full-text search over published articles, best first, with a highlighted snippet. ${READERS} ` +
      `Query: q (at most ${MAX_QUERY_LENGTH} characters; words match by prefix, accents and case ignored, search syntax is taken literally), ` +
      `language (that language first, then the fallback; one hit per slug), category (includes subcategories), limit (1-${SEARCH_MAX_LIMIT}, default ${SEARCH_DEFAULT_LIMIT}), offset. ` +
      'A search that finds nothing is recorded as a content gap for the editors. Cache-Control: no-store.',
    tag: 'faq',
    public: true,
    response: searchResultSchema,
    errors: { 400: BAD_QUERY },
  },
  {
    method: 'get',
    path: '/faq/suggest',
    summary:
      `As-you-type suggestions for the ticket form: titles and summaries of the best matches. ${READERS} ` +
      `Query: q (at most ${MAX_QUERY_LENGTH} characters), language, limit (1-${SUGGEST_MAX_LIMIT}, default ${SUGGEST_DEFAULT_LIMIT}). ` +
      'Answers differ per person: Cache-Control: no-store.',
    tag: 'faq',
    public: true,
    response: suggestionsSchema,
    errors: { 400: BAD_QUERY },
  },
  {
    method: 'post',
    path: '/faq/preview',
    summary: "Render markdown exactly as a save would, for the editor's live preview. Nothing is stored.",
    tag: 'faq',
    request: previewSchema,
    response: previewResultSchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not allowed to write FAQ articles', 413: 'Too large or too complex to render' },
  },
  {
    method: 'get',
    path: '/faq/gaps',
    summary: `Content gaps: searches that found nothing, most searched first (dismissed ones left out). Query: language, limit (1-${ARTICLE_MAX_LIMIT}, default ${ARTICLE_DEFAULT_LIMIT}), offset.`,
    tag: 'faq',
    response: listOf(gapSchema),
    errors: { ...AUTH, 400: BAD_QUERY, 403: 'Not allowed to write FAQ articles' },
  },
  {
    method: 'post',
    path: '/faq/gaps/{id}/dismiss',
    summary: 'Hide a content gap (the same search failing again brings it back). No body. Answers 204.',
    tag: 'faq',
    errors: { ...AUTH, 403: 'Not allowed to write FAQ articles', 404: 'No such content gap (or dismissed already)' },
  },
];

/** The OpenAPI description of `/api/v1/faq`. */
export const faqOperations: ApiOperation[] = [...categoryOperations, ...articleOperations, ...readerOperations];
