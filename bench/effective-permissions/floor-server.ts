/**
 * Benchmark child: the floor for Loket's effective-permissions endpoint. A bare Express 5 app (no
 * middleware, no database) answering `GET /effective-permissions` with the very answer Loket gave for the
 * bench user, read once from the file BENCH_FLOOR_JSON and serialised again with `res.json` on every
 * request, as Loket's controller does. What Loket takes beyond this is authentication, the database reads
 * and the computation. Prints a `ready` line (see ../lib/protocol.ts).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';

const file = process.env.BENCH_FLOOR_JSON;
if (!file) {
  process.stderr.write('bench/effective-permissions/floor-server.ts: BENCH_FLOOR_JSON is required\n');
  process.exit(2);
}
const answer: unknown = JSON.parse(readFileSync(file, 'utf8'));

const app = express();
app.disable('x-powered-by');
app.get('/effective-permissions', (_req, res) => {
  res.json(answer);
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
  },
);

const ready: ReadyMessage = { type: 'ready', url: `http://127.0.0.1:${port}` };
process.stdout.write(`${JSON.stringify(ready)}\n`);
