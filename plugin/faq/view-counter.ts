import type { Logger } from 'pino';

export interface ViewCounter {
  add(articleId: number): void;
  /** Writes what was counted so far (also on a timer and at close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Article views, counted in memory and added to the database every few seconds. Reading an article
 * then costs no write, and several processes behind one database simply add their counts up. A crash
 * loses at most one interval of counts, which a view counter can afford.
 */
export function createViewCounter(write: (counts: ReadonlyMap<number, number>) => Promise<void>, logger: Logger, intervalMs = 5000): ViewCounter {
  let pending = new Map<number, number>();
  let writing: Promise<void> = Promise.resolve();

  async function flush(): Promise<void> {
    await writing;
    if (!pending.size) return;
    const batch = pending;
    pending = new Map();
    writing = write(batch).catch((err: unknown) => {
      logger.warn({ err }, 'could not write FAQ view counts; they are dropped');
    });
    await writing;
  }

  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();

  return {
    add(articleId) {
      pending.set(articleId, (pending.get(articleId) ?? 0) + 1);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
