/**
 * After the load: the tickets table against the ledger. Every acknowledged (201) number must be in the
 * table exactly once; no number may be acknowledged for two keys; a ticket nobody was told about must
 * belong to a request that had no answer when its run stopped (in flight, or timed out), which the
 * idempotency row written in the ticket's own transaction tells; every ticket has its first message and
 * its key row. Read with the bench's own knex once the server is idle.
 */
import type { Knex } from 'knex';
import type { TableNames } from '../../plugin/db/tables.js';
import type { Ledger } from './ledger.js';

export interface CountCheck {
  tickets: number;
  acknowledged: number;
  /** Acknowledged numbers that are not in the table. */
  lost: string[];
  /** Numbers in the table more than once, and tickets without a number. */
  duplicateNumbers: number;
  nullNumbers: number;
  /** Numbers acknowledged (201) for more than one key. */
  duplicateAcks: number;
  /** 201 answers whose body held no ticket number. */
  acksWithoutNumber: number;
  /** Requests sent that never got an answer. */
  unanswered: number;
  /** Tickets nobody was told about, by what became of their request. */
  unacknowledged: { inFlight: number; answeredOtherwise: number; unknownKey: number; noKeyRow: number };
  /** Answers other than 201 while the table holds a ticket for that key. */
  answeredOtherwiseStatuses: Map<number, number>;
  ticketsWithoutMessage: number;
  keyRows: number;
}

const OPERATION = 'ticket.create';

export async function countCheck(knex: Knex, tables: TableNames, ledger: Ledger): Promise<CountCheck> {
  const rows = await knex(tables.tickets).select<{ id: number; number: string | null }[]>('id', 'number');
  const keyRows = await knex(tables.idempotency_keys).where({ operation: OPERATION }).select<{ idempotency_key: string; result: string }[]>('idempotency_key', 'result');
  const [withoutMessage] = await knex(`${tables.tickets} as t`)
    .whereNotExists(function firstMessage() {
      void this.from(`${tables.ticket_messages} as m`).whereRaw('?? = ??', ['m.ticket_id', 't.id']).select(knex.raw('1'));
    })
    .count<{ n: unknown }[]>({ n: '*' });

  const inTable = new Map<string, number>();
  let nullNumbers = 0;
  for (const r of rows) {
    if (r.number === null) nullNumbers += 1;
    else inTable.set(r.number, (inTable.get(r.number) ?? 0) + 1);
  }
  const duplicateNumbers = [...inTable.values()].filter((n) => n > 1).length;

  const acked = new Map<string, string>();
  const ackCount = new Map<string, number>();
  let acksWithoutNumber = 0;
  for (const [key, a] of ledger.answered) {
    if (a.status !== 201) continue;
    if (a.number === null) {
      acksWithoutNumber += 1;
      continue;
    }
    acked.set(key, a.number);
    ackCount.set(a.number, (ackCount.get(a.number) ?? 0) + 1);
  }
  const lost = [...new Set(acked.values())].filter((n) => !inTable.has(n));
  const duplicateAcks = [...ackCount.values()].filter((n) => n > 1).length;

  const keyOf = new Map(keyRows.map((k) => [k.result, k.idempotency_key]));
  const unacknowledged = { inFlight: 0, answeredOtherwise: 0, unknownKey: 0, noKeyRow: 0 };
  const answeredOtherwiseStatuses = new Map<number, number>();
  for (const number of inTable.keys()) {
    if (ackCount.has(number)) continue;
    const key = keyOf.get(number);
    if (key === undefined) unacknowledged.noKeyRow += 1;
    else if (!ledger.sent.has(key)) unacknowledged.unknownKey += 1;
    else {
      const answer = ledger.answered.get(key);
      if (!answer) unacknowledged.inFlight += 1;
      else {
        unacknowledged.answeredOtherwise += 1;
        answeredOtherwiseStatuses.set(answer.status, (answeredOtherwiseStatuses.get(answer.status) ?? 0) + 1);
      }
    }
  }

  return {
    tickets: rows.length,
    acknowledged: acked.size,
    lost,
    duplicateNumbers,
    nullNumbers,
    duplicateAcks,
    acksWithoutNumber,
    unanswered: [...ledger.sent.keys()].filter((k) => !ledger.answered.has(k)).length,
    unacknowledged,
    answeredOtherwiseStatuses,
    ticketsWithoutMessage: Number(withoutMessage?.n ?? 0),
    keyRows: keyRows.length,
  };
}
