import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { TICKET_STATES } from '../schema.js';
import { faqLinksForm, replyForm, stateForm, ticketNumberOf } from './agent-forms.js';
import { withAgentNotice } from './agent-notices.js';
import type { AgentTicketDeps } from './agent-pages.js';
import { agentProblem, agentRefusal, localProblem, type AgentForm } from './agent-problems.js';
import { ticketPageRenderer, ticketPath, type TicketPageState } from './agent-ticket-view.js';

const stateValue = z.object({ state: z.enum(TICKET_STATES) });

/** One ticket: the page, replies and internal notes, state changes and linking FAQ articles. */
export function agentOneTicketPages(deps: AgentTicketDeps): Router {
  const router = Router();
  const renderTicket = ticketPageRenderer(deps);

  /** Runs one change; done, back to the ticket with a notice; refused, the page again with the input kept. */
  async function change(req: Request, res: Response, form: AgentForm, kept: Omit<TicketPageState, 'status' | 'problem'>, run: (number: string) => Promise<Parameters<typeof withAgentNotice>[1]>) {
    const number = ticketNumberOf(req.params.number);
    try {
      const notice = await run(number);
      res.redirect(303, withAgentNotice(ticketPath(res, number), notice));
    } catch (err) {
      const refusal = agentRefusal(err, form);
      if (!refusal) throw err;
      await renderTicket(req, res, number, { ...kept, status: refusal.status, problem: agentProblem(refusal, translatorOf(res), form) });
    }
  }

  router.get('/agent/tickets/:number', async (req, res) => {
    await renderTicket(req, res, ticketNumberOf(req.params.number));
  });

  router.post('/agent/tickets/:number/messages', async (req, res) => {
    const form = parseInput(replyForm, req.body);
    const internal = form.internal === 'yes';
    const kept = { reply: { body: form.body, internal, articleIds: form.articleIds }, faq: form.faq };
    await change(req, res, 'reply', kept, async (number) => {
      await deps.tickets.addMessage(currentActor(req), number, { body: form.body, internal, ...(form.articleIds.length && { faqArticleIds: form.articleIds }) });
      return internal ? 'noted' : 'replied';
    });
  });

  router.post('/agent/tickets/:number/state', async (req, res) => {
    const { state } = parseInput(stateForm, req.body);
    await change(req, res, 'state', {}, async (number) => {
      await deps.tickets.changeState(currentActor(req), number, parseInput(stateValue, { state }).state);
      return 'stateChanged';
    });
  });

  // The "link without replying" button sits in the reply form, so the reply typed so far comes along and is kept.
  router.post('/agent/tickets/:number/faq-links', async (req, res) => {
    const form = parseInput(faqLinksForm, req.body);
    const kept = { reply: { body: form.body, internal: form.internal === 'yes', articleIds: form.articleIds }, faq: form.faq };
    const number = ticketNumberOf(req.params.number);
    if (form.articleIds.length === 0) {
      // Asked first, so an agent without rw gets the service's 403 rather than a hint about ticking.
      await deps.tickets.linkFaq(currentActor(req), number, []);
      await renderTicket(req, res, number, { ...kept, status: 400, problem: localProblem('reply', 'articleIds', translatorOf(res)('ticketsAgent.errors.noArticles')) });
      return;
    }
    await change(req, res, 'reply', kept, async () => {
      await deps.tickets.linkFaq(currentActor(req), number, form.articleIds);
      return 'linked';
    });
  });

  return router;
}
