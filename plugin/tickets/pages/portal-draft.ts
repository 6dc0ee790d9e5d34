import type { Request } from 'express';
import { MAX_BODY_CHARS } from '../schema.js';

/** What the person was writing when they went to read a suggested FAQ article. */
export interface TicketDraft {
  title: string;
  body: string;
  queue: string;
  service: string;
  priority: string;
  idempotencyKey: string;
  /** Suggested articles they opened: linked to the ticket if they file it after all. */
  openedArticleIds: number[];
}

declare module 'express-session' {
  interface SessionData {
    /** The ticket form's draft across the FAQ detour (the session is the person's own, per organisation). */
    ticketDraft?: TicketDraft;
    /** The last filed draft's key and articles, so a retry of that submit is the same request (one ticket). */
    ticketFiled?: { idempotencyKey: string; openedArticleIds: number[] };
  }
}

const MAX_OPENED = 20;

const clip = (value: string, max: number) => value.slice(0, max);

export const draftOf = (req: Request): TicketDraft | null => req.session.ticketDraft ?? null;

/** Keeps what was typed (cut to what a ticket may hold), and the articles opened so far. */
export function keepDraft(req: Request, values: Omit<TicketDraft, 'openedArticleIds'>): void {
  req.session.ticketDraft = {
    title: clip(values.title, 1000),
    body: clip(values.body, MAX_BODY_CHARS),
    queue: clip(values.queue, 191),
    service: clip(values.service, 191),
    priority: clip(values.priority, 20),
    idempotencyKey: clip(values.idempotencyKey, 191),
    openedArticleIds: req.session.ticketDraft?.openedArticleIds ?? [],
  };
}

/** Notes an opened article; with JavaScript the text lives in the browser, so the draft may have none. */
export function noteOpened(req: Request, articleId: number): void {
  const draft = req.session.ticketDraft ?? { title: '', body: '', queue: '', service: '', priority: '', idempotencyKey: '', openedArticleIds: [] };
  if (!draft.openedArticleIds.includes(articleId)) draft.openedArticleIds = [...draft.openedArticleIds, articleId].slice(-MAX_OPENED);
  req.session.ticketDraft = draft;
}

export function dropDraft(req: Request): void {
  delete req.session.ticketDraft;
}

/**
 * Articles to link when this form is filed: the draft's, or, for a repeat of the submit that already
 * filed (the draft is gone by then), the same ones as the first time, so the repeat is the same request.
 */
export function openedFor(req: Request, idempotencyKey: string): number[] {
  const draft = req.session.ticketDraft;
  if (draft) return draft.openedArticleIds;
  const filed = req.session.ticketFiled;
  return filed?.idempotencyKey === idempotencyKey ? filed.openedArticleIds : [];
}

export function markFiled(req: Request, idempotencyKey: string, openedArticleIds: number[]): void {
  dropDraft(req);
  req.session.ticketFiled = { idempotencyKey, openedArticleIds };
}
