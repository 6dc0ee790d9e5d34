import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

function reasonOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && (typeof err.code === 'string' || typeof err.code === 'number')) {
    return String(err.code);
  }
  return err instanceof Error ? err.name : 'unknown error';
}

/** True when a trivial query answers within the timeout. */
export async function pingDatabase(knex: Knex, timeoutMs = 3000): Promise<{ up: boolean; reason?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      knex.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
    return { up: true };
  } catch (err) {
    return { up: false, reason: reasonOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(readonly target: string, attempts: number, reason: string) {
    super(`Database ${target} not reachable after ${attempts} attempt(s): ${reason}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Start-up waits for the database (it may be booting beside us) with growing pauses, logging each try,
 * and gives up with one clear error instead of hanging.
 */
export async function waitForDatabase(
  knex: Knex,
  opts: { retries: number; delayMs: number; target: string; logger: Logger },
): Promise<void> {
  const attempts = opts.retries + 1;
  let reason = 'unknown error';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await pingDatabase(knex, 5000);
    if (result.up) {
      if (attempt > 1) opts.logger.info({ database: opts.target }, 'database reachable');
      return;
    }
    reason = result.reason ?? reason;
    if (attempt === attempts) break;
    const delay = Math.min(opts.delayMs * 2 ** (attempt - 1), 10_000);
    opts.logger.warn(
      { database: opts.target, attempt, of: attempts, reason, retryInMs: delay },
      `database not reachable (${reason}), attempt ${attempt} of ${attempts}; retrying`,
    );
    await sleep(delay);
  }
  throw new DatabaseUnreachableError(opts.target, attempts, reason);
}
