/**
 * Benchmark child: Loket as a production host would run it (env 'production', so the view cache is on;
 * logLevel 'silent'; a session secret), migrated, with one agent account, mounted at the root of a bare
 * Express host as plugin/host/server.ts does. Prints a `ready` line (see ../lib/protocol.ts).
 *
 * Env: BENCH_DB_URL (required), BENCH_TABLE_PREFIX (default loket_).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { cliSubject } from '../../plugin/audit/service.js';
import { buildLoket } from '../../plugin/loket.js';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';

const databaseUrl = process.env.BENCH_DB_URL;
if (!databaseUrl) {
  process.stderr.write('bench/servers/loket.ts: BENCH_DB_URL is required\n');
  process.exit(2);
}

const loket = buildLoket({
  env: 'production',
  logLevel: 'silent',
  databaseUrl,
  tablePrefix: process.env.BENCH_TABLE_PREFIX ?? 'loket_',
  session: { secret: randomBytes(32).toString('hex') },
  database: { connectRetries: 0 },
});
await loket.migrate();

const login = `bench-${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
await loket.container.services.agents.createFromOperator(
  { login, email: `${login}@example.test`, role: 'agent', password, firstName: 'Bench', lastName: 'Agent' },
  cliSubject(),
);

const host = express();
host.disable('x-powered-by');
host.use(loket.app);
const server = await new Promise<Server>((resolve, reject) => {
  const s = host.listen(0, '127.0.0.1', () => resolve(s));
  s.once('error', reject);
});
const { port } = server.address() as AddressInfo;

serveControlChannel(
  async () => {
    globalThis.gc?.();
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const row = (await loket.container.knex(loket.container.tables.sessions).count({ n: '*' }).first()) as { n: unknown } | undefined;
    return { type: 'stats', heapUsedBytes, sessions: Number(row?.n ?? 0) };
  },
  async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await loket.close();
  },
);

const ready: ReadyMessage = { type: 'ready', url: `http://127.0.0.1:${port}`, agent: { login, password } };
process.stdout.write(`${JSON.stringify(ready)}\n`);
