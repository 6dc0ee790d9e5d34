/**
 * Waiting for the servers to go quiet between runs. A run that ends by time leaves requests in flight:
 * autocannon drops their connections, but the server still finishes each request, and a scan over a big
 * table (or a broad search of Loket's) takes seconds. Without this wait those leftovers would run during,
 * and be billed to, the next run, which is usually the other side's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { processTicks } from './cpu.js';

const POLL_MS = 100;
/** A server process counts as idle after this long without a clock tick of CPU (ticks are 10 ms). */
const QUIET_MS = 400;
const GIVE_UP_MS = 300_000;

/**
 * Resolves once the server processes have used no CPU for a moment and, on MariaDB, no statement whose
 * text is `like` `mysql.statementLike` is running (a search waiting for disk reads uses no CPU in the
 * server process), e.g. `%b1a2b3c4_customer_user%` for the bench's tables.
 */
export async function settle(pids: number[], mysql: { knex: Knex; statementLike: string } | null): Promise<number> {
  const started = Date.now();
  const ticks = () => pids.reduce((n, pid) => n + processTicks(pid), 0);
  const running = async (): Promise<number> => {
    if (!mysql) return 0;
    const [rows] = (await mysql.knex.raw(
      "select count(*) as n from information_schema.processlist where command = 'Query' and id <> connection_id() and info like ?",
      [mysql.statementLike],
    )) as [{ n: number }[]];
    return Number(rows[0]?.n ?? 0);
  };
  let last = ticks();
  let quietSince = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    await sleep(POLL_MS);
    const now = ticks();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
    if (Date.now() - quietSince >= QUIET_MS && (await running()) === 0) break;
  }
  return Date.now() - started;
}
