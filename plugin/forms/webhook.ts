import { createHmac } from 'node:crypto';
import { ruleViolation } from '../errors.js';

export interface WebhookDelivery {
  url: string;
  body: string;
  runId: number;
}

export interface WebhookSender {
  /** Delivers with retries; throws WebhookFailed after the last failed attempt. */
  deliver(delivery: WebhookDelivery): Promise<{ status: number; attempts: number }>;
}

/** The last attempt failed: the run rolls back and the delivery goes to the dead-letter list. */
export class WebhookFailed extends Error {
  constructor(readonly delivery: WebhookDelivery, readonly attempts: number, readonly lastError: string) {
    super(`Webhook ${delivery.url} failed after ${attempts} attempt(s): ${lastError}`);
    this.name = 'WebhookFailed';
  }
}

export const signature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Signed webhook deliveries: `X-Loket-Signature: sha256=<HMAC-SHA256 of the body>` and
 * `X-Loket-Delivery: <run id>` (receivers de-duplicate on it, as a retry sends the same id).
 * A 2xx answer is success; anything else, a timeout or a refused connection is retried with backoff.
 */
export function createWebhookSender(opts: { secret: string | undefined; timeoutMs: number; retries: number; backoffMs?: number }): WebhookSender {
  const backoff = opts.backoffMs ?? 200;
  return {
    async deliver(delivery) {
      if (!opts.secret) throw ruleViolation('Webhooks need forms.webhookSecret (LOKET_WEBHOOK_SECRET); none is set.', 'webhook', 'webhook_not_configured');
      if (!/^https?:\/\//.test(delivery.url)) throw ruleViolation(`url: ${delivery.url} is not an http(s) address.`, 'url', 'bad_url');
      let lastError = '';
      const attempts = opts.retries + 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await fetch(delivery.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Loket-Signature': signature(opts.secret, delivery.body), 'X-Loket-Delivery': String(delivery.runId) },
            body: delivery.body,
            signal: AbortSignal.timeout(opts.timeoutMs),
            redirect: 'error',
          });
          await response.arrayBuffer();
          if (response.ok) return { status: response.status, attempts: attempt };
          lastError = `HTTP ${response.status}`;
        } catch (err) {
          lastError = err instanceof Error ? ((err.cause instanceof Error ? err.cause.message : '') || err.message) : String(err);
        }
        if (attempt < attempts) await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
      }
      throw new WebhookFailed(delivery, attempts, lastError);
    },
  };
}
