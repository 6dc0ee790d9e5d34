import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { idempotencyKeySchema } from '../schema.js';
import { emptyNewTicketForm, newTicketForm, newTicketInput, PRIORITIES, type NewTicketForm } from './agent-forms.js';
import { withAgentNotice } from './agent-notices.js';
import type { AgentTicketDeps } from './agent-pages.js';
import { agentProblem, agentRefusal } from './agent-problems.js';

/**
 * The one lookup that answers 404 while filing is the customer user's login: on this form that is a
 * typo in a field, so it is refused on the form (422) rather than as a missing page.
 */
function unknownLoginAsRule(err: unknown): unknown {
  if (err instanceof LoketError && err.status === 404) return new LoketError({ status: 422, code: 'unknown_customer_user', message: err.message, field: 'customerUser' });
  return err;
}

/** Filing a ticket for a customer user (phone, walk-in, mail): agents with `create` in a queue's group. */
export function agentNewPages(deps: AgentTicketDeps): Router {
  const router = Router();

  async function renderNew(req: Request, res: Response, form: NewTicketForm, problem: FormProblem | null = null, status = 200) {
    const queues = await deps.tickets.fileableQueues(currentActor(req));
    // Nowhere to file: the page says why instead of offering a form that can only be refused.
    res.status(queues.length === 0 ? 403 : status).render('agent/tickets/new', {
      form,
      problem,
      queues: queues.map((q) => q.name),
      priorities: PRIORITIES,
      // A fresh key per render: a double submit of this form files one ticket, a corrected form a new one.
      idempotencyKey: randomUUID(),
    });
  }

  router.get('/agent/tickets/new', async (req, res) => {
    await renderNew(req, res, emptyNewTicketForm());
  });

  router.post('/agent/tickets', async (req, res) => {
    const actor = currentActor(req);
    const form = parseInput(newTicketForm, req.body);
    const key = idempotencyKeySchema.safeParse(form.idempotencyKey);
    try {
      const { ticket } = await deps.tickets.create(actor, newTicketInput(form), key.success ? key.data : null).catch((err: unknown) => {
        throw unknownLoginAsRule(err);
      });
      res.redirect(303, withAgentNotice(`${loketBase(res)}/agent/tickets/${ticket.number}`, 'created'));
    } catch (err) {
      const refusal = agentRefusal(err, 'new');
      if (!refusal) throw err;
      await renderNew(req, res, form, agentProblem(refusal, translatorOf(res), 'new'), refusal.status);
    }
  });

  return router;
}
