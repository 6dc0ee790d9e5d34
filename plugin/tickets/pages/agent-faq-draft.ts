import { Router } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { HEADING_ID_PREFIX, headingSlug } from '../../faq/markdown/slug.js';
import { withEditorNotice } from '../../faq/pages/editor-notices.js';
import { readerPaths } from '../../faq/pages/reader-paths.js';
import type { Article } from '../../faq/schema.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { faqDraftForm, ticketNumberOf } from './agent-forms.js';
import type { AgentTicketDeps } from './agent-pages.js';
import { agentProblem, agentRefusal } from './agent-problems.js';
import { ticketPageRenderer } from './agent-ticket-view.js';

const MAX_SLUG = 80;
/** A second draft from the same ticket in the same language gets `-2`, `-3` …; beyond this, something else is wrong. */
const SLUG_ATTEMPTS = 5;

/**
 * The draft's slug: the title's words (the FAQ's own slug rules) and the ticket number, which makes it
 * unique; `attempt` > 1 adds a counter. A title without Latin letters or digits is just "ticket".
 */
export function draftSlug(title: string, number: string, attempt = 1): string {
  const words = headingSlug(title).slice(HEADING_ID_PREFIX.length);
  const base = words === 'section' && !/section/i.test(title) ? 'ticket' : words;
  const suffix = (attempt > 1 ? `${number}-${attempt}` : number).slice(0, MAX_SLUG - 4);
  return `${base.slice(0, MAX_SLUG - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

/** FAQ titles are one printable line; a ticket title may carry tabs or other control characters. */
const printableTitle = (title: string): string => title.replace(/\p{Cc}+/gu, ' ').trim();

const isDuplicate = (err: unknown): boolean => err instanceof LoketError && err.code === 'duplicate';

/**
 * "Create FAQ draft from this ticket": the question and the public answers become a draft in the chosen
 * category and language, linked to the ticket; the agent continues in the FAQ editor. It is a draft like
 * any other and goes through review before a reader sees it.
 */
export function agentFaqDraftPages(deps: AgentTicketDeps): Router {
  const router = Router();
  const renderTicket = ticketPageRenderer(deps);

  router.post('/agent/tickets/:number/faq-draft', async (req, res) => {
    const actor = currentActor(req);
    const number = ticketNumberOf(req.params.number);
    const form = parseInput(faqDraftForm, req.body);
    try {
      // Asks for rw on the ticket before anything is written, so a refusal leaves no orphan draft.
      const source = await deps.tickets.faqDraftSource(actor, number);
      const subject = auditSubjectOf(actor, req.ip ?? null);
      let article: Article | null = null;
      for (let attempt = 1; article === null; attempt++) {
        const input = { slug: draftSlug(source.title, number, attempt), title: printableTitle(source.title), summary: '', body: source.body, language: form.language, category: form.category, keywords: [], visibility: 'customer' };
        try {
          article = await deps.faqArticles.create(actor, input, subject);
        } catch (err) {
          if (!isDuplicate(err) || attempt >= SLUG_ATTEMPTS) throw err;
        }
      }
      await deps.tickets.linkFaq(actor, number, [article.id]);
      res.redirect(303, withEditorNotice(readerPaths(res).manage(article.id), 'created'));
    } catch (err) {
      const refusal = agentRefusal(err, 'draft');
      if (!refusal) throw err;
      await renderTicket(req, res, number, { status: refusal.status, problem: agentProblem(refusal, translatorOf(res), 'draft'), draft: { category: form.category, language: form.language } });
    }
  });

  return router;
}
