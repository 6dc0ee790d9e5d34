import { Router } from 'express';
import { readerPaths } from '../../faq/pages/reader-paths.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { dropDraft, noteOpened } from './portal-draft.js';
import { articleIdOf, deflectForm, faqOpenQuery } from './portal-forms.js';
import { withPortalNotice } from './portal-notices.js';
import type { PortalTicketDeps } from './portal-pages.js';
import { portalPaths } from './portal-paths.js';

/**
 * A suggested FAQ article inside the ticket flow: opening it counts, "this answered my question" ends
 * the flow without a ticket and counts as a deflection, and the draft waits for the way back.
 */
export function portalFaqPages(deps: PortalTicketDeps): Router {
  const router = Router();

  router.get('/portal/tickets/new/faq/:articleId', async (req, res) => {
    const actor = currentActor(req);
    const id = articleIdOf(req.params.articleId);
    const { q } = faqOpenQuery.parse(req.query);
    // 404 for an article this person may not read: nothing is recorded, nothing is shown.
    const { article, category } = await deps.deflections.record(actor, id, 'opened', q);
    noteOpened(req, id);
    res.render('portal/tickets/faq', {
      article,
      q,
      paths: portalPaths(res),
      articleHref: readerPaths(res).article(category, article.slug, { lang: article.language }),
    });
  });

  router.post('/portal/tickets/deflect', async (req, res) => {
    const form = parseInput(deflectForm, req.body);
    await deps.deflections.record(currentActor(req), form.articleId, 'answered', form.q);
    dropDraft(req);
    res.redirect(303, withPortalNotice(portalPaths(res).home, 'deflected'));
  });

  return router;
}
