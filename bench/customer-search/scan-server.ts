/**
 * Benchmark child: a bare Express 5 app answering `GET /scan?search=<term>&limit=50` with the LIKE scan of
 * ./scan-query.ts over Loket's own customer-user table, as JSON in the shape of Loket's list
 * (`{ items, total, limit }`). Its knex is built by Loket's own factory with Loket's default pool, so
 * driver, pragmas and pool are the ones Loket uses; nothing else of Loket runs here (no auth, session or
 * presentation), which favours the scan. Prints a `ready` line (see ../lib/protocol.ts).
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
import { tableNames } from '../../plugin/db/tables.js';
import { createLogger } from '../../plugin/log.js';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';
import { likeScan } from './scan-query.js';

const databaseUrl = process.env.BENCH_DB_URL;
if (!databaseUrl) {
  process.stderr.write('bench/customer-search/scan-server.ts: BENCH_DB_URL is required\n');
  process.exit(2);
}

const defaults = parseLoketOptions({ databaseUrl }).database;
const knex = createKnex(parseDatabaseUrl(databaseUrl, 'BENCH_DB_URL'), {
  poolMax: defaults.poolMax,
  acquireTimeoutMs: defaults.acquireTimeoutMs,
  logger: createLogger('silent'),
});
const scan = likeScan(knex, tableNames(process.env.BENCH_TABLE_PREFIX ?? 'loket_').customer_users);

const querySchema = z.object({
  search: z.string().trim().min(1).max(191),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

const app = express();
app.disable('x-powered-by');
app.get('/scan', async (req, res) => {
  const parsed = querySchema.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: { code: 'validation', message: parsed.error.issues[0]?.message ?? 'invalid query' } });
    return;
  }
  const { search, limit } = parsed.data;
  const items = await scan.rows(search, limit);
  const total = await scan.count(search);
  res.json({ items, total, limit });
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
