import { Router, type Request } from 'express';
import { can } from '../../access/policy.js';
import { parseBody, parseQuery } from '../../customers/api-schemas.js';
import { validationError } from '../../errors.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { idempotencyKeySchema, newMessageSchema, newTicketSchema, stateChangeSchema, ticketListSchema } from '../schema.js';
import type { TicketService } from '../ticket-service.js';
import { faqLinksSchema, presentMessage, presentTicket, presentTicketDetail } from './schemas.js';

/** The number as sent: the service answers 404 for anything that is not one the caller may see. */
const numberOf = (req: Request): string => String(req.params.number);

/** The optional `Idempotency-Key` header; a malformed one is a 400 rather than silently ignored. */
function idempotencyKeyOf(req: Request): string | null {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return null;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw validationError(`Idempotency-Key: ${parsed.error.issues[0]?.message ?? 'invalid'} (8-191 visible ASCII characters)`, 'Idempotency-Key');
  return parsed.data;
}

/** `/api/v1/tickets`: file, list, read, reply, change state, link FAQs. The ticket service decides who may. */
export function ticketApi(deps: { tickets: TicketService }): Router {
  const router = Router();
  const { tickets } = deps;

  router.post('/tickets', async (req, res) => {
    const actor = currentActor(req);
    const key = idempotencyKeyOf(req);
    const input = parseBody(newTicketSchema, req.body);
    const { ticket, replayed } = await tickets.create(actor, input, key);
    res.location(`${req.baseUrl}/tickets/${ticket.number}`);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(replayed ? 200 : 201).json(presentTicket(ticket));
  });

  router.get('/tickets', async (req, res) => {
    const actor = currentActor(req);
    const query = parseQuery(ticketListSchema, req.query);
    const page = await tickets.list(actor, query);
    // Answers differ per person: no shared cache may keep them.
    res.set('Cache-Control', 'no-store');
    res.json({ items: page.items.map(presentTicket), total: page.total, limit: page.limit, offset: query.offset });
  });

  router.get('/tickets/:number', async (req, res) => {
    const actor = currentActor(req);
    const view = await tickets.view(actor, numberOf(req));
    res.set('Cache-Control', 'no-store');
    res.json(presentTicketDetail(view, can(actor, 'agent.use'), loketBase(res)));
  });

  router.patch('/tickets/:number', async (req, res) => {
    const actor = currentActor(req);
    const { state } = parseBody(stateChangeSchema, req.body);
    res.json(presentTicket(await tickets.changeState(actor, numberOf(req), state)));
  });

  router.post('/tickets/:number/messages', async (req, res) => {
    const actor = currentActor(req);
    const input = parseBody(newMessageSchema, req.body);
    res.status(201).json(presentMessage(await tickets.addMessage(actor, numberOf(req), input)));
  });

  router.post('/tickets/:number/faq-links', async (req, res) => {
    const actor = currentActor(req);
    const { articleIds } = parseBody(faqLinksSchema, req.body);
    await tickets.linkFaq(actor, numberOf(req), articleIds);
    res.status(204).end();
  });

  return router;
}
