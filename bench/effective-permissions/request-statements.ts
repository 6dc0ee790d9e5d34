/**
 * How many SQL statements one request costs, and which: the bench's own Loket instance (the one that
 * created the data) is served on a port in this process, each URL is fetched once to warm up and once
 * more while knex's query events are recorded, so session, token, actor and the page's own reads all count.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import type { LoketInternals } from '../../plugin/loket.js';
import { signIn } from '../lib/http.js';
import type { Scenario } from './http-runs.js';
import { urls, type Targets, type Urls } from './scenarios.js';
import { recordStatements, type Statement } from './timing.js';

export interface RequestStatements {
  label: string;
  status: number;
  statements: Statement[];
}

export async function statementsPerRequest(loket: LoketInternals, targets: Targets, admin: { login: string; password: string }): Promise<RequestStatements[]> {
  const host = express();
  host.disable('x-powered-by');
  host.use(loket.app);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = host.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signIn(base, admin);
    const u: Urls = urls({ ...targets, loket: base, adminCookie: cookie });
    const list: Scenario[] = [u.effective, u.meUser, u.meAgent, u.pageFirst, u.pageLate, u.apiFirst, u.apiLate];
    const out: RequestStatements[] = [];
    for (const s of list) {
      const fetchOnce = async () => {
        const res = await fetch(s.url, { redirect: 'manual', headers: s.headers ?? {} });
        await res.text();
        // A session write after the response would still belong to this request.
        await sleep(50);
        return res.status;
      };
      await fetchOnce();
      const { result: status, statements } = await recordStatements(loket.container.knex, fetchOnce);
      out.push({ label: s.label, status, statements });
    }
    return out;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
