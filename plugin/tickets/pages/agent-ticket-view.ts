import type { Request, Response } from 'express';
import { can } from '../../access/policy.js';
import { isBuiltIn } from '../../customers/field-map.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { categoryOptions } from '../../faq/pages/editor-tree.js';
import { pageLanguage } from '../../faq/pages/reader-input.js';
import { readerPaths } from '../../faq/pages/reader-paths.js';
import { FAQ_LANGUAGES } from '../../faq/schema.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { ticketPageQuery } from './agent-forms.js';
import { agentNoticeFrom } from './agent-notices.js';
import type { AgentTicketDeps } from './agent-pages.js';

/** Enough to pick from without paging; an agent refines the words rather than scrolling further. */
const FAQ_RESULTS = 10;

/** What a refused form puts back on the page, so nothing typed is lost. */
export interface TicketPageState {
  status?: number;
  problem?: FormProblem | null;
  reply?: { body: string; internal: boolean; articleIds: number[] };
  /** The FAQ search words (a refused reply carries them, the page's `?faq=` otherwise). */
  faq?: string;
  draft?: { category: string; language: string };
}

export const ticketPath = (res: Response, number: string): string => `${loketBase(res)}/agent/tickets/${number}`;

/** The ticket page: everything about one ticket an agent may see, and the forms for what they may do. */
export function ticketPageRenderer(deps: AgentTicketDeps) {
  return async function renderTicket(req: Request, res: Response, number: string, state: TicketPageState = {}): Promise<void> {
    const actor = currentActor(req);
    const view = await deps.tickets.view(actor, number);
    const words = state.faq ?? parseInput(ticketPageQuery, req.query).faq;
    const language = pageLanguage(res);
    const writesFaq = view.mayReply && can(actor, 'faq.write');
    const [found, tree] = await Promise.all([
      view.mayReply && words !== '' ? deps.faqReader.search(actor, { q: words, language, limit: FAQ_RESULTS }) : null,
      writesFaq ? deps.faqCategories.tree() : null,
    ]);
    const paths = readerPaths(res);
    const linked = new Set(view.ticket.faqLinks.map((l) => l.articleId));
    const reply = state.reply ?? { body: '', internal: false, articleIds: [] };
    const t = translatorOf(res);
    // The snapshot keeps the map's label, or the key where the admin left it empty: built-in keys get their name.
    const snapshotFields = view.ticket.customerSnapshot.fields.map((f) => ({ ...f, label: f.label === f.key && isBuiltIn(f.key) ? t(`customerFields.${f.key}`) : f.label }));
    res.status(state.status ?? 200).render('agent/tickets/ticket', {
      view,
      ticket: view.ticket,
      path: ticketPath(res, number),
      snapshotFields,
      faqs: view.faqs.map((f) => ({ ...f, href: paths.article(f.category, f.slug, { lang: f.language }), editHref: paths.manage(f.id) })),
      faqWords: words,
      faqResults:
        found?.items.map((hit) => ({
          id: hit.id,
          title: hit.title,
          summary: hit.summary,
          language: hit.language,
          href: paths.article(hit.category, hit.slug, { lang: hit.language }),
          linked: linked.has(hit.id),
          checked: reply.articleIds.includes(hit.id),
        })) ?? null,
      reply,
      draft: state.draft ?? { category: '', language },
      categories: tree ? categoryOptions(tree) : [],
      languages: FAQ_LANGUAGES,
      writesFaq,
      problem: state.problem ?? null,
      notice: state.status ? null : agentNoticeFrom(req, t),
    });
  };
}
