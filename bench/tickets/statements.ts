/**
 * How many SQL statements one create costs, and which: the bench's own Loket instance is served on a port
 * in this process, a first create warms it up, then one create and one replay of it are sent while knex's
 * query events are recorded (token, actor, queue, customer user, the transaction, the read-back, and any
 * write after the answer). The requests go into the ledger like the load's, so the count check stays exact.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import type { LoketInternals } from '../../plugin/loket.js';
import { recordStatements, type Statement } from '../effective-permissions/timing.js';
import { nextCreate, record, type Ledger } from './ledger.js';

export interface RecordedRequest {
  label: string;
  status: number;
  ms: number;
  statements: Statement[];
}

export async function statementsPerCreate(loket: LoketInternals, token: string, bodyOf: (n: number) => string, ledger: Ledger): Promise<RecordedRequest[]> {
  const host = express();
  host.disable('x-powered-by');
  host.use(loket.app);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = host.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/tickets`;
    const send = async (key: string, body: string): Promise<{ status: number; ms: number }> => {
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key }, body });
      record(ledger, key, res.status, await res.text());
      const ms = performance.now() - t0;
      // A write after the answer (e.g. the token's last use) still belongs to this request.
      await sleep(50);
      return { status: res.status, ms };
    };
    const warm = nextCreate(ledger, 0, bodyOf);
    await send(warm.key, warm.body);
    const measured = nextCreate(ledger, 0, bodyOf);
    const create = await recordStatements(loket.container.knex, () => send(measured.key, measured.body));
    const again = await recordStatements(loket.container.knex, () => send(measured.key, measured.body));
    return [
      { label: 'POST /api/v1/tickets (new key)', status: create.result.status, ms: create.result.ms, statements: create.statements },
      { label: 'POST /api/v1/tickets (the same request again: replay)', status: again.result.status, ms: again.result.ms, statements: again.statements },
    ];
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
