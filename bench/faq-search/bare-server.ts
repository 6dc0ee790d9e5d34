/**
 * Benchmark child: a bare Express 5 app over Loket's own FAQ tables, without Loket (no helmet, session,
 * passport, CSRF, services or audience). Its knex comes from Loket's factory with Loket's default pool,
 * so driver, pragmas and pool are Loket's. Prints a `ready` line (see ../lib/protocol.ts).
 *
 *   GET /scan?q=…&limit=10          the LIKE scan of ./scan-query.ts, as JSON `{ items }`
 *   GET /faq/<category>/<slug>      views/faq/article.ejs with the locals Loket passes an anonymous
 *                                   visitor (./bare-page.ts), view engine set up as plugin/app.ts does in
 *                                   production (EJS, view cache on), Loket's own translator
 *
 * Env: BENCH_DB_URL (required), BENCH_TABLE_PREFIX (default loket_).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ejs from 'ejs';
import express from 'express';
import { z } from 'zod';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { parseLoketOptions } from '../../plugin/config/schema.js';
import { createKnex } from '../../plugin/db/knex-factory.js';
import { tableNames } from '../../plugin/db/tables.js';
import { readerPaths } from '../../plugin/faq/pages/reader-paths.js';
import { createTranslator, LANGUAGES } from '../../plugin/i18n/index.js';
import { createLogger } from '../../plugin/log.js';
import { viewsDir } from '../../plugin/paths.js';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';
import { bareArticleLocals } from './bare-page.js';
import { likeScan } from './scan-query.js';

const databaseUrl = process.env.BENCH_DB_URL;
if (!databaseUrl) {
  process.stderr.write('bench/faq-search/bare-server.ts: BENCH_DB_URL is required\n');
  process.exit(2);
}

const defaults = parseLoketOptions({ databaseUrl }).database;
const knex = createKnex(parseDatabaseUrl(databaseUrl, 'BENCH_DB_URL'), {
  poolMax: defaults.poolMax,
  acquireTimeoutMs: defaults.acquireTimeoutMs,
  logger: createLogger('silent'),
});
const tables = tableNames(process.env.BENCH_TABLE_PREFIX ?? 'loket_');
const scan = likeScan(knex, tables.faq_articles);
const t = createTranslator('en').t('en');

const scanQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

const app = express();
app.disable('x-powered-by');
app.set('views', viewsDir);
app.set('view engine', 'ejs');
app.engine('ejs', ejs.renderFile);
app.set('view cache', true);

app.get('/scan', async (req, res) => {
  const parsed = scanQuery.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: { code: 'validation', message: parsed.error.issues[0]?.message ?? 'invalid query' } });
    return;
  }
  res.json({ items: await scan(parsed.data.q, parsed.data.limit) });
});

app.get('/faq/:category/:slug', async (req, res) => {
  const locals = await bareArticleLocals(knex, tables, req.params.category, req.params.slug);
  if (!locals) {
    res.status(404).type('text/plain').send('not found');
    return;
  }
  // What Loket's languageLocals and actorLocals set for an anonymous visitor without cookies.
  res.locals.lang = 'en';
  res.locals.t = t;
  res.locals.languages = LANGUAGES;
  res.locals.base = '';
  res.locals.actor = null;
  res.locals.csrfToken = '';
  res.locals.can = () => false;
  res.locals.currentPath = req.path;
  const format = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });
  res.render('faq/article', {
    paths: readerPaths(res),
    ...locals,
    staff: false,
    showCounts: false,
    notice: null,
    formatDate: (iso: string) => {
      const time = Date.parse(iso);
      return Number.isNaN(time) ? '' : format.format(time);
    },
  });
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
