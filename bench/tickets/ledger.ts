/**
 * What the bench sent and what it was told: every create request by its Idempotency-Key (who sent it and
 * the exact body, so it can be sent again) and, when an answer came, its status and ticket number. The
 * count check compares this with the tickets table afterwards.
 */

export interface SentCreate {
  /** Index into the token list the request was sent with (the idempotency key belongs to that principal). */
  token: number;
  body: string;
}

export interface Answer {
  status: number;
  number: string | null;
}

export interface Ledger {
  /** Unique per bench run, so keys never meet keys of an earlier run on a reused database. */
  tag: string;
  next: number;
  sent: Map<string, SentCreate>;
  answered: Map<string, Answer>;
}

export const newLedger = (tag: string): Ledger => ({ tag, next: 0, sent: new Map(), answered: new Map() });

/** A new request: its key and body, entered as sent. */
export function nextCreate(ledger: Ledger, token: number, body: (n: number) => string): { key: string; body: string } {
  ledger.next += 1;
  const key = `bench-${ledger.tag}-${ledger.next}`;
  const text = body(ledger.next);
  ledger.sent.set(key, { token, body: text });
  return { key, body: text };
}

/** The ticket number in a create answer (`{ number }`, or `{ ticket: { number } }`), else null. */
export function numberIn(body: string): string | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return null;
    const direct = (value as { number?: unknown }).number;
    if (typeof direct === 'string') return direct;
    const nested = (value as { ticket?: { number?: unknown } }).ticket?.number;
    return typeof nested === 'string' ? nested : null;
  } catch {
    return null;
  }
}

/** The first answer to a key stands: a replay's 200 must not hide the 201 that created the ticket. */
export function record(ledger: Ledger, key: string, status: number, body: string): void {
  if (ledger.answered.has(key)) return;
  ledger.answered.set(key, { status, number: status === 200 || status === 201 ? numberIn(body) : null });
}

/** Status → answers, over the whole ledger. */
export function statusCounts(ledger: Ledger): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of ledger.answered.values()) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return counts;
}
