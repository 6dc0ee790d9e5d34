import type { Logger } from 'pino';
import type { Mailer, MailMessage } from './mailer.js';

/**
 * Mails sent after a change has committed, without making the request wait for the mail server: a
 * failing server is logged and never fails the request. `settle()` waits for mails in flight (on close,
 * and in tests that read the SMTP server's inbox).
 */
export function createBackgroundMail(mailer: Pick<Mailer, 'enabled' | 'send'>, logger: Logger) {
  const inFlight = new Set<Promise<void>>();
  return {
    get enabled(): boolean {
      return mailer.enabled;
    },
    send(message: MailMessage, context: Record<string, unknown>): void {
      if (!mailer.enabled) return;
      const work = (async () => {
        try {
          await mailer.send(message);
        } catch (err) {
          logger.warn({ err, ...context }, 'mail could not be sent');
        }
      })();
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
    async settle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

export type BackgroundMail = ReturnType<typeof createBackgroundMail>;
