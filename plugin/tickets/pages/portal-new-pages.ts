import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { LoketError, validationError } from '../../errors.js';
import { pageLanguage } from '../../faq/pages/reader-input.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { newTicketSchema } from '../schema.js';
import { draftOf, dropDraft, keepDraft, markFiled, openedFor } from './portal-draft.js';
import { emptyForm, emptyTicketForm, freshIdempotencyKey, keptIdempotencyKey, PORTAL_PRIORITIES, portalTicketForm, ticketInput, type PortalTicketForm } from './portal-forms.js';
import { portalNoticeFrom, withPortalNotice } from './portal-notices.js';
import type { PortalTicketDeps } from './portal-pages.js';
import { portalPaths } from './portal-paths.js';
import { portalProblem, portalRefusal } from './portal-problems.js';
import { MAX_SUGGESTIONS, suggestFor, type Suggestion } from './portal-suggestions.js';

interface NewPageState {
  form: PortalTicketForm;
  problem?: FormProblem | null;
  status?: number;
  /** The check step without JavaScript: articles that may answer the question before it is filed. */
  check?: Suggestion[] | null;
  /** The form was refilled from the draft kept across the FAQ detour. */
  kept?: boolean;
}

/** Filing a ticket from the portal, with FAQ suggestions first (live with JavaScript, a check step without). */
export function portalNewPages(deps: PortalTicketDeps): Router {
  const router = Router();

  async function renderNew(req: Request, res: Response, state: NewPageState): Promise<void> {
    const actor = currentActor(req);
    const [queues, services] = await Promise.all([deps.tickets.fileableQueues(actor), deps.tickets.pickableServices(actor)]);
    const names = queues.map((q) => q.name);
    const paths = portalPaths(res);
    // One queue is no choice: it is chosen already.
    const form = { ...state.form, queue: state.form.queue || (names.length === 1 ? (names[0] ?? '') : '') };
    // Nowhere to file: the page says why instead of offering a form that can only be refused.
    res.status(names.length === 0 ? 403 : (state.status ?? 200)).render('portal/tickets/new', {
      form,
      problem: state.problem ?? null,
      queues: names,
      services,
      priorities: PORTAL_PRIORITIES,
      check: state.check?.map((s) => ({ ...s, href: paths.faq(s.id, s.q) })) ?? null,
      kept: state.kept ?? false,
      paths,
      suggestUrl: `${loketBase(res)}/api/v1/faq/suggest`,
      maxSuggestions: MAX_SUGGESTIONS,
      notice: state.status ? null : portalNoticeFrom(req, translatorOf(res)),
    });
  }

  /** Files the ticket; an opened article unpublished since is left unlinked rather than refusing the ticket. */
  async function file(actor: Actor, form: PortalTicketForm, opened: number[]) {
    try {
      return await deps.tickets.create(actor, ticketInput(form, opened), form.idempotencyKey);
    } catch (err) {
      if (opened.length > 0 && err instanceof LoketError && err.code === 'unknown_article') return deps.tickets.create(actor, ticketInput(form, []), form.idempotencyKey);
      throw err;
    }
  }

  router.get('/portal/tickets/new', async (req, res) => {
    const draft = draftOf(req);
    if (!draft) {
      await renderNew(req, res, { form: emptyTicketForm() });
      return;
    }
    const { openedArticleIds, ...values } = draft;
    await renderNew(req, res, {
      form: {
        ...values,
        priority: values.priority || 'normal',
        idempotencyKey: values.idempotencyKey === '' ? freshIdempotencyKey() : keptIdempotencyKey(values.idempotencyKey),
        // Back from a suggested article: they have looked at the FAQ already.
        checked: openedArticleIds.length > 0 ? '1' : '',
      },
      kept: true,
    });
  });

  router.post('/portal/tickets', async (req, res) => {
    const actor = currentActor(req);
    const posted = parseInput(portalTicketForm, req.body);
    const form = { ...posted, idempotencyKey: keptIdempotencyKey(posted.idempotencyKey) };
    const paths = portalPaths(res);
    try {
      if (!PORTAL_PRIORITIES.some((p) => p === form.priority)) throw validationError('priority: choose low, normal or high.', 'priority');
      // Without JavaScript nobody saw suggestions yet: a well-formed ticket stops once at the FAQ first.
      if (form.checked !== '1' && newTicketSchema.safeParse(ticketInput(form, [])).success) {
        const check = await suggestFor(deps.faqReader, actor, form, pageLanguage(res));
        if (check.length > 0) {
          keepDraft(req, form);
          await renderNew(req, res, { form, check });
          return;
        }
      }
      const opened = openedFor(req, form.idempotencyKey);
      const { ticket } = await file(actor, form, opened);
      markFiled(req, form.idempotencyKey, opened);
      res.redirect(303, withPortalNotice(paths.ticket(ticket.number), 'filed'));
    } catch (err) {
      const refusal = portalRefusal(err, 'new');
      if (!refusal) throw err;
      // The key filed something else already: this form gets a new one, so sending it again files it.
      const idempotencyKey = refusal.code === 'idempotency_key_reused' ? freshIdempotencyKey() : form.idempotencyKey;
      await renderNew(req, res, { form: { ...form, idempotencyKey }, problem: portalProblem(refusal, translatorOf(res), 'new'), status: refusal.status });
    }
  });

  router.post('/portal/tickets/new/discard', (req, res) => {
    parseInput(emptyForm, req.body);
    dropDraft(req);
    res.redirect(303, withPortalNotice(portalPaths(res).newTicket, 'discarded'));
  });

  return router;
}
