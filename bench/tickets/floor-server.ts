/**
 * Benchmark child: the floor for filing a ticket. A bare Express 5 app answering `POST /tickets` with one
 * INSERT into a table shaped like Loket's tickets table (../tickets/setup.ts, `floor_tickets`: the same
 * columns and indexes, plus the body and the idempotency key with a unique index), then `201 { number }`.
 * No session, token, actor, access check, queue lookup, idempotency read, message row or audit: what Loket
 * takes beyond this is all of that. Its knex comes from Loket's factory with Loket's default pool, so
 * driver, pragmas and pool are Loket's. Prints a `ready` line (see ../lib/protocol.ts).
 *
 * Env: BENCH_DB_URL (required), BENCH_TABLE_PREFIX (default loket_).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { parseLoketOptions } from '../../plugin/config/schema.js';
import { createKnex } from '../../plugin/db/knex-factory.js';
import { toDbTime } from '../../plugin/db/values.js';
import { createLogger } from '../../plugin/log.js';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';
import { floorTableName } from './setup.js';

const databaseUrl = process.env.BENCH_DB_URL;
if (!databaseUrl) {
  process.stderr.write('bench/tickets/floor-server.ts: BENCH_DB_URL is required\n');
  process.exit(2);
}

const defaults = parseLoketOptions({ databaseUrl }).database;
const knex = createKnex(parseDatabaseUrl(databaseUrl, 'BENCH_DB_URL'), {
  poolMax: defaults.poolMax,
  acquireTimeoutMs: defaults.acquireTimeoutMs,
  logger: createLogger('silent'),
});
const table = floorTableName(process.env.BENCH_TABLE_PREFIX ?? 'loket_');

const ticket = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1),
  queue: z.string().trim().min(1).max(191),
  customerUser: z.string().trim().min(1).max(191).optional(),
});

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));

app.post('/tickets', async (req, res) => {
  const parsed = ticket.safeParse(req.body);
  const key = req.get('idempotency-key');
  if (!parsed.success || !key) {
    res.status(400).json({ error: { code: 'validation', message: 'invalid ticket' } });
    return;
  }
  const now = toDbTime();
  const [id] = await knex<Record<string, unknown>, number[]>(table).insert({
    title: parsed.data.title,
    queue_id: 1,
    customer_id: 'floor',
    customer_user_login: parsed.data.customerUser ?? 'floor',
    created_by: 'agent:1',
    created_by_name: 'Floor',
    customer_snapshot: '{}',
    body: parsed.data.body,
    idempotency_key: key,
    created_at: now,
    updated_at: now,
  });
  res.status(201).json({ number: String(id) });
});

const server = await new Promise<Server>((resolve, reject) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
  s.once('error', reject);
});
const { port } = server.address() as AddressInfo;

serveControlChannel(
  () => {
    globalThis.gc?.();
    return Promise.resolve({ type: 'stats', heapUsedBytes: process.memoryUsage().heapUsed });
  },
  async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await knex.destroy();
  },
);

const ready: ReadyMessage = { type: 'ready', url: `http://127.0.0.1:${port}` };
process.stdout.write(`${JSON.stringify(ready)}\n`);
