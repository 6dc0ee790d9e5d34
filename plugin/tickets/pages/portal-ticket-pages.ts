import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { readerPaths } from '../../faq/pages/reader-paths.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { TICKET_STATES } from '../schema.js';
import { portalTicketNumber, replyForm, stateForm } from './portal-forms.js';
import { portalNoticeFrom, withPortalNotice, type PortalNotice } from './portal-notices.js';
import type { PortalTicketDeps } from './portal-pages.js';
import { portalPaths } from './portal-paths.js';
import { portalProblem, portalRefusal, type PortalForm } from './portal-problems.js';

const stateValue = z.object({ state: z.enum(TICKET_STATES) });

interface TicketPageState {
  status?: number;
  problem?: FormProblem | null;
  replyBody?: string;
}

/** One ticket as its customer sees it: messages, linked FAQ articles, replying, closing and reopening. */
export function portalOneTicketPages(deps: PortalTicketDeps): Router {
  const router = Router();

  async function renderTicket(req: Request, res: Response, number: string, state: TicketPageState = {}): Promise<void> {
    const actor = currentActor(req);
    const view = await deps.tickets.view(actor, number);
    const { ticket } = view;
    const reader = readerPaths(res);
    res.status(state.status ?? 200).render('portal/tickets/ticket', {
      view,
      ticket,
      // The service never hands customers internal notes; the page does not rely on that alone.
      messages: ticket.messages.filter((m) => !m.internal),
      faqs: view.faqs.map((f) => ({ ...f, href: reader.article(f.category, f.slug, { lang: f.language }) })),
      // Someone else filed it (an agent for them, or a delegate working in this organisation): say who.
      filedByOther: ticket.createdBy !== `customer-user:${String(ticket.customerUserId)}` || ticket.delegationId !== null,
      forSomeoneElse: !(actor.principal.type === 'customer-user' && actor.principal.id === ticket.customerUserId),
      paths: portalPaths(res),
      replyBody: state.replyBody ?? '',
      problem: state.problem ?? null,
      notice: state.status ? null : portalNoticeFrom(req, translatorOf(res), number),
    });
  }

  /** Runs one change; done, back to the ticket with a notice; refused, the page again with the input kept. */
  async function change(req: Request, res: Response, form: PortalForm, kept: TicketPageState, run: (number: string) => Promise<PortalNotice>): Promise<void> {
    const number = portalTicketNumber(req.params.number);
    try {
      const notice = await run(number);
      res.redirect(303, withPortalNotice(portalPaths(res).ticket(number), notice));
    } catch (err) {
      const refusal = portalRefusal(err, form);
      if (!refusal) throw err;
      await renderTicket(req, res, number, { ...kept, status: refusal.status, problem: portalProblem(refusal, translatorOf(res), form) });
    }
  }

  router.get('/portal/tickets/:number', async (req, res) => {
    await renderTicket(req, res, portalTicketNumber(req.params.number));
  });

  router.post('/portal/tickets/:number/messages', async (req, res) => {
    const { body } = parseInput(replyForm, req.body);
    await change(req, res, 'reply', { replyBody: body }, async (number) => {
      await deps.tickets.addMessage(currentActor(req), number, { body });
      return 'replied';
    });
  });

  router.post('/portal/tickets/:number/state', async (req, res) => {
    const { state } = parseInput(stateForm, req.body);
    await change(req, res, 'state', {}, async (number) => {
      const next = parseInput(stateValue, { state }).state;
      await deps.tickets.changeState(currentActor(req), number, next);
      return next === 'closed' ? 'closed' : 'reopened';
    });
  });

  return router;
}
