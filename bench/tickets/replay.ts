/**
 * The replay check: acknowledged creates sent again, byte for byte (same token, body and Idempotency-Key),
 * as a client retrying after a lost answer would. Each must answer with the ticket it was first given,
 * and the tickets and key tables must not grow. The requests are spread evenly over everything that was
 * acknowledged, and sent `concurrency` at a time.
 */
import type { Knex } from 'knex';
import type { TableNames } from '../../plugin/db/tables.js';
import { percentile } from '../lib/load.js';
import { numberIn, type Ledger } from './ledger.js';

export interface ReplayResult {
  sent: number;
  statuses: Map<number, number>;
  sameNumber: number;
  otherNumber: number;
  tickets: { before: number; after: number };
  keyRows: { before: number; after: number };
  p50: number;
  p95: number;
}

const count = async (knex: Knex, table: string): Promise<number> => {
  const [row] = await knex(table).count<{ n: unknown }[]>({ n: '*' });
  return Number(row?.n ?? 0);
};

export async function replayCheck(
  target: { url: string; tokens: string[]; ledger: Ledger },
  opts: { requests: number; concurrency: number },
  db: { knex: Knex; tables: TableNames },
): Promise<ReplayResult> {
  const acked = [...target.ledger.answered].filter(([, a]) => a.status === 201 && a.number !== null);
  const step = Math.max(1, Math.floor(acked.length / opts.requests));
  const chosen = acked.filter((_, i) => i % step === 0).slice(0, opts.requests);
  const before = { tickets: await count(db.knex, db.tables.tickets), keys: await count(db.knex, db.tables.idempotency_keys) };

  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let sameNumber = 0;
  let otherNumber = 0;
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const [key, first] = chosen[next++]!;
      const sent = target.ledger.sent.get(key)!;
      const t0 = performance.now();
      const res = await fetch(`${target.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.tokens[sent.token]!}`, 'idempotency-key': key },
        body: sent.body,
      });
      const body = await res.text();
      latencies.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (numberIn(body) === first.number) sameNumber += 1;
      else otherNumber += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));

  return {
    sent: chosen.length,
    statuses,
    sameNumber,
    otherNumber,
    tickets: { before: before.tickets, after: await count(db.knex, db.tables.tickets) },
    keyRows: { before: before.keys, after: await count(db.knex, db.tables.idempotency_keys) },
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}
