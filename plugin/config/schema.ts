import { z } from 'zod';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';

const minutes = (fallback: number) => z.number().int().positive().default(fallback);

const throttleRule = (limit: number, windowMinutes: number) =>
  z.object({ limit: z.number().int().positive().default(limit), windowMinutes: minutes(windowMinutes) }).prefault({});

/** Everything a host can set. One schema, defaults included; nothing else reads configuration. */
export const loketOptionsSchema = z.object({
  env: z.enum(['development', 'production', 'test']).default('development'),
  databaseUrl: z.string().optional(),
  tablePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,19}$/, 'lower-case letters, digits and _ only, starting with a letter, at most 20')
    .default('loket_'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  session: z
    .object({
      secret: z.string().min(32, 'must be at least 32 characters').optional(),
      cookieName: z.string().regex(/^[A-Za-z0-9._-]+$/).default('loket.sid'),
      cookiePath: z.string().startsWith('/').default('/'),
      idleMinutes: minutes(8 * 60),
      absoluteHours: z.number().int().positive().default(24),
      secureCookies: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    })
    .prefault({}),
  smtp: z
    .object({
      url: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
      from: z.string().default('Loket <loket@localhost>'),
    })
    .prefault({}),
  security: z
    .object({
      trustProxy: z.union([z.boolean(), z.number().int().nonnegative(), z.string()]).default(false),
      // An FAQ article may hold 100,000 characters; sent as a URL-encoded form that approaches 1 MB.
      bodyLimit: z.string().regex(/^\d+(kb|mb)$/).default('1mb'),
      loginThrottlePerAccount: throttleRule(5, 15),
      loginThrottlePerIp: throttleRule(30, 15),
    })
    .prefault({}),
  database: z
    .object({
      connectRetries: z.number().int().nonnegative().default(10),
      connectRetryDelayMs: z.number().int().positive().default(1000),
      poolMax: z.number().int().positive().default(10),
      acquireTimeoutMs: z.number().int().positive().default(10_000),
    })
    .prefault({}),
  i18n: z.object({ defaultLanguage: z.enum(['en', 'nl', 'nb']).default('en') }).prefault({}),
  customerUsers: z
    .object({
      /** Most results one search shows (the seed's 1000); screens say "x of y", the API gives `total`. */
      searchLimit: z.number().int().min(1).max(10_000).default(1000),
      /** One e-mail address per customer user (OTOBO's CustomerUserEmailUniqCheck). */
      emailUnique: z.boolean().default(true),
      /** How long a set-password link works. */
      passwordLinkHours: z.number().int().min(1).max(24 * 14).default(72),
    })
    .prefault({}),
  forms: z
    .object({
      /** Signs webhook deliveries (HMAC-SHA256); without it the webhook action refuses to run. */
      webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
      webhookTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
      /** Further attempts after the first failed one, with backoff. */
      webhookRetries: z.number().int().min(0).max(10).default(2),
    })
    .prefault({}),
  delegation: z
    .object({
      /**
       * The organisation of accounts made for delegates whose address had no account (their own
       * organisation, with no groups of its own); created on first use.
       */
      guestCustomerId: z.string().trim().min(1).max(150).default('delegates'),
      guestCustomerName: z.string().trim().min(1).max(200).default('Delegates (no organisation of their own)'),
    })
    .prefault({}),
});

export type LoketOptionsInput = z.input<typeof loketOptionsSchema> & {
  /** A host may hand Loket its own pino logger; Loket logs as a child of it. */
  logger?: Logger;
};
export type LoketConfig = z.output<typeof loketOptionsSchema>;

const SETTING_NAMES: Record<string, string> = {
  databaseUrl: 'DATABASE_URL',
  baseUrl: 'BASE_URL',
  'session.secret': 'SESSION_SECRET',
  'smtp.url': 'SMTP_URL',
  'forms.webhookSecret': 'LOKET_WEBHOOK_SECRET',
  logLevel: 'LOG_LEVEL',
  env: 'NODE_ENV',
};

/** Validates options; the first problem becomes a ConfigError naming the setting (and its env name). */
export function parseLoketOptions(input: unknown): LoketConfig {
  const result = loketOptionsSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const joined = issue?.path.join('.') ?? '';
    const path = joined === '' ? '(root)' : joined;
    const env = SETTING_NAMES[path];
    throw new ConfigError(env ? `${path} (${env})` : path, issue?.message ?? 'invalid');
  }
  return result.data;
}
