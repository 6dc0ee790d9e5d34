import { Router, type Request, type Response } from 'express';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { FaqEditorDeps } from './editor-deps.js';
import { articleIdOf, diffQuery } from './editor-forms.js';

const articleId = (req: Request): number => articleIdOf(req.params.id);

/** An article's versions with "compare" choices, and what changed between two of them. */
export function editorVersionPages(deps: FaqEditorDeps): Router {
  const router = Router();
  const articlePath = (res: Response, id: number) => `${loketBase(res)}/faq/manage/${id}`;

  router.get('/faq/manage/:id/versions', async (req, res) => {
    const { article, versions } = await deps.faqArticles.versions(currentActor(req), articleId(req));
    res.render('faq/manage/versions', {
      article,
      versions,
      path: articlePath(res, article.id),
      // Preselected: the latest change, i.e. the newest version against the one before it.
      from: versions[1]?.number ?? versions[0]?.number ?? 1,
      to: versions[0]?.number ?? 1,
    });
  });

  router.get('/faq/manage/:id/diff', async (req, res) => {
    const id = articleId(req);
    const { from, to } = parseInput(diffQuery, req.query);
    const diff = await deps.faqArticles.diff(currentActor(req), id, from, to);
    res.render('faq/manage/diff', { ...diff, path: articlePath(res, id) });
  });

  return router;
}
